package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

var (
	_ list.ListResource              = &configListResource{}
	_ list.ListResourceWithConfigure = &configListResource{}
)

// attrIncludeArrayEntries asks a config list resource for the objects the
// domain's array shows too.
const attrIncludeArrayEntries = "include_array_entries"

// newPinlessDialinConfigListResource lists the daily_pinless_dialin_config
// resources to import: the domain's pinless dial-in config objects.
func newPinlessDialinConfigListResource() list.ListResource {
	return &configListResource{kind: pinlessKind}
}

// newPinDialinConfigListResource lists the daily_pin_dialin_config
// resources to import: the domain's PIN dial-in config objects.
func newPinDialinConfigListResource() list.ListResource {
	return &configListResource{kind: pinKind}
}

// configListResource lists the dial-in config objects of a type as config
// resources, whoever manages them.
//
// Where Daily's objects are the arrays' entries (one reading of what it
// does not document), every route is both an entry and an object; a query
// of both the route and the config list resources would find it twice and
// generate two resources for one number. So an object the array shows
// (the same key and, for a SIP-only one, the same secret) is left to the
// route list resource, unless include_array_entries is set.
type configListResource struct {
	kind *arrayKind
	data *providerData
}

func (r *configListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.configTypeName()
}

func (r *configListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	attrs := map[string]schema.Attribute{
		attrNumberPrefix: numberPrefixListAttribute("config objects"),
		attrIncludeArrayEntries: schema.BoolAttribute{
			Optional: true,
			MarkdownDescription: "Also list the objects that the domain's `" + r.kind.array + "` array shows as entries. Default `false`: " +
				"where Daily's objects are the array's entries, the route list resource `daily_" + r.kind.routeTypeName() + "` lists them, " +
				"and a query of both must not find one route twice.",
		},
	}
	if r.kind.hasWebhook() {
		attrs[attrWebhookHost] = webhookHostListAttribute("config objects")
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every " + r.kind.array + " config object of Daily's `/domain-dialin-config` API, by id, whoever manages it; " +
			"for `terraform query` and bulk import. Objects the domain's array shows too are left to `daily_" + r.kind.routeTypeName() + "`.",
		Attributes: attrs,
	}
}

func (r *configListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *configListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var include types.Bool
	filter, diags := r.kind.listFilterOf(ctx, req.Config)
	diags.Append(req.Config.GetAttribute(ctx, path.Root(attrIncludeArrayEntries), &include)...)
	objects, readDiags := r.kind.objectsOfKind(ctx, r.data.dialin)
	diags.Append(readDiags...)
	var entries []dialin.Entry
	if !diags.HasError() && !include.ValueBool() {
		entries, readDiags = r.kind.readArray(ctx, r.data.dialin)
		diags.Append(readDiags...)
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	objects = slices.DeleteFunc(objects, func(o client.DialinConfig) bool {
		e, err := objectEntry(o)
		if err != nil {
			return false // listed, to fail where it can say why
		}
		return shownByArray(e, entries) || filter.excludes(e)
	})
	objects = atMost(objects, req.Limit)

	stream.Results = func(push func(list.ListResult) bool) {
		for _, o := range objects {
			state := func() (routeValues, diag.Diagnostics) { return r.kind.objectState(o, nil) }
			if !push(r.kind.listResult(ctx, req, objectKey(o), configIdentity(o.ID), state)) {
				return
			}
		}
	}
}

// shownByArray reports whether the array entries show the object whose
// fields are e: an entry with its key and, for a SIP-only object, its
// secret (SIP-only routes of either store may share a name_prefix).
func shownByArray(e dialin.Entry, entries []dialin.Entry) bool {
	number, _ := dialin.SplitKey(e.Key())
	return slices.ContainsFunc(entries, func(a dialin.Entry) bool {
		return a.Key() == e.Key() && (number != "" || a.Text(attrHMAC) == e.Text(attrHMAC))
	})
}
