package provider

import (
	"cmp"
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

var (
	_ list.ListResource              = &routeListResource{}
	_ list.ListResourceWithConfigure = &routeListResource{}
)

// newPinlessDialinRouteListResource lists the daily_pinless_dialin_route
// resources to import: every entry of the domain's pinless_dialin array.
func newPinlessDialinRouteListResource() list.ListResource {
	return &routeListResource{kind: pinlessKind, typeName: "pinless_dialin_route"}
}

// newPinDialinRouteListResource lists the daily_pin_dialin_route resources
// to import: every entry of the domain's pin_dialin array.
func newPinDialinRouteListResource() list.ListResource {
	return &routeListResource{kind: pinKind, typeName: "pin_dialin_route"}
}

// routeListResource lists the entries of a dial-in array as per-route
// resources, whoever manages them.
type routeListResource struct {
	kind     *arrayKind
	typeName string
	data     *providerData
}

func (r *routeListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.typeName
}

func (r *routeListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	keys := "phone number"
	if r.kind.sipOnly {
		keys += " (`sip:<name_prefix>` for a SIP-only route)"
	}
	attrs := map[string]schema.Attribute{
		attrNumberPrefix: numberPrefixListAttribute("routes"),
	}
	if r.hasWebhook() {
		attrs[attrWebhookHost] = schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Only routes whose `" + attrRoomCreationAPI + "` is on this host, e.g. `\"bots.example.com\"` (compared without case; the port does not count).",
			Validators:          []validator.String{hostValidator()},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every entry of the domain's `" + r.kind.array + "` array, by " + keys + ", whoever manages it; for `terraform query` and bulk import. " +
			"Entries no route key addresses on its own (" + oddEntriesText(r.kind) + ") are left out with a warning, and stay as they are.",
		Attributes: attrs,
	}
}

func (r *routeListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *routeListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var prefix, host types.String
	diags := req.Config.GetAttribute(ctx, path.Root(attrNumberPrefix), &prefix)
	if r.hasWebhook() {
		diags.Append(req.Config.GetAttribute(ctx, path.Root(attrWebhookHost), &host)...)
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	entries, readDiags := r.kind.readArray(ctx, r.data.dialin)
	diags.Append(readDiags...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	total := len(entries)
	entries, odd := r.kind.splitOdd(entries)
	entries = slices.DeleteFunc(entries, func(e dialin.Entry) bool {
		// A SIP-only route has no phone number, so any prefix excludes it.
		if !prefix.IsNull() && !strings.HasPrefix(e.Text(attrPhoneNumber), prefix.ValueString()) {
			return true
		}
		return !host.IsNull() && !strings.EqualFold(hostOf(e.Text(attrRoomCreationAPI)), host.ValueString())
	})
	slices.SortFunc(entries, func(a, b dialin.Entry) int { return cmp.Compare(a.Key(), b.Key()) })
	entries = atMost(entries, req.Limit)

	stream.Results = func(push func(list.ListResult) bool) {
		if len(odd) > 0 {
			// A result of diagnostics only: Terraform shows the warning and lists nothing for it.
			var warning diag.Diagnostics
			warning.Append(r.kind.oddEntriesLeftOut(odd, total, "the results"))
			if !push(list.ListResult{Diagnostics: warning}) {
				return
			}
		}
		for _, e := range entries {
			result := req.NewListResult(ctx)
			result.DisplayName = e.Key()
			result.Diagnostics.Append(setIdentity(ctx, result.Identity, r.kind.routeIdentity(e.Key()))...)
			if req.IncludeResource {
				result.Diagnostics.Append(r.setResource(ctx, result.Resource, e)...)
			}
			if !push(result) {
				return
			}
		}
	}
}

// setResource sets a listed route's resource object as a Read of the route
// imported by its identity sets its state, less the secret: terraform query
// -json prints listed objects in full, sensitive values included. Generated
// configuration never holds it, and the import reads it.
func (r *routeListResource) setResource(ctx context.Context, listed *tfsdk.Resource, e dialin.Entry) diag.Diagnostics {
	values, diags := r.kind.routeState(e, nil)
	if diags.HasError() {
		return diags
	}
	if secret, ok := r.kind.secret(); ok {
		values[secret.name] = types.StringNull()
	}
	object, diags := types.ObjectValue(attributeTypes(listed.Schema.Type()), values)
	if diags.HasError() {
		return diags
	}
	return listed.Set(ctx, object)
}

// hasWebhook reports whether the array's routes lead to a webhook.
func (r *routeListResource) hasWebhook() bool {
	return slices.ContainsFunc(r.kind.fields(perRoute), func(f routeField) bool { return f.name == attrRoomCreationAPI })
}

// hostOf is the host of a URL, "" when it has none.
func hostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
