package provider

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// What the route list resources (routeListResource) and the config list
// resources (configListResource) share: both list routes of an arrayKind,
// filter them alike and return them as the state their import would read.

// hasWebhook reports whether the kind's routes lead to a webhook, which
// the webhook_host filter then selects by.
func (k *arrayKind) hasWebhook() bool {
	return slices.ContainsFunc(k.fields(perRoute), func(f routeField) bool { return f.name == attrRoomCreationAPI })
}

// webhookHostListAttribute filters listed routes by the host of their
// webhook; things names them.
func webhookHostListAttribute(things string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		MarkdownDescription: "Only " + things + " whose `" + attrRoomCreationAPI + "` is on this host, e.g. `\"bots.example.com\"` (compared without case; the port does not count).",
		Validators:          []validator.String{hostValidator()},
	}
}

// listFilter is a dial-in list resource's number_prefix and webhook_host,
// null when unset.
type listFilter struct {
	prefix, host types.String
}

// listFilterOf reads the filters of a list resource of kind k.
func (k *arrayKind) listFilterOf(ctx context.Context, config tfsdk.Config) (listFilter, diag.Diagnostics) {
	var f listFilter
	diags := config.GetAttribute(ctx, path.Root(attrNumberPrefix), &f.prefix)
	if k.hasWebhook() {
		diags.Append(config.GetAttribute(ctx, path.Root(attrWebhookHost), &f.host)...)
	}
	return f, diags
}

// excludes reports whether the filters leave out the route whose fields
// are e. A SIP-only route has no phone number, so any prefix excludes it.
func (f listFilter) excludes(e dialin.Entry) bool {
	if !f.prefix.IsNull() && !strings.HasPrefix(e.Text(attrPhoneNumber), f.prefix.ValueString()) {
		return true
	}
	return !f.host.IsNull() && !strings.EqualFold(hostOf(e.Text(attrRoomCreationAPI)), f.host.ValueString())
}

// hostOf is the host of a URL, "" when it has none.
func hostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// listResult is the result of one listed route: its display name, its
// identity and, when the query asks for it, its resource object, which is
// state, the state a Read of the route imported by its identity sets, less
// the secret: terraform query -json prints listed objects in full,
// sensitive values included. Generated configuration never holds it, and
// the import reads it.
func (k *arrayKind) listResult(ctx context.Context, req list.ListRequest, name string, identity map[string]attr.Value,
	state func() (routeValues, diag.Diagnostics),
) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = name
	result.Diagnostics.Append(setIdentity(ctx, result.Identity, identity)...)
	if req.IncludeResource {
		result.Diagnostics.Append(k.setListed(ctx, result.Resource, state)...)
	}
	return result
}

// setListed sets a listed route's resource object (see listResult).
func (k *arrayKind) setListed(ctx context.Context, listed *tfsdk.Resource, state func() (routeValues, diag.Diagnostics)) diag.Diagnostics {
	values, diags := state()
	if diags.HasError() {
		return diags
	}
	if secret, ok := k.secret(); ok {
		values[secret.name] = types.StringNull()
	}
	object, diags := types.ObjectValue(attributeTypes(listed.Schema.Type()), values)
	if diags.HasError() {
		return diags
	}
	return listed.Set(ctx, object)
}
