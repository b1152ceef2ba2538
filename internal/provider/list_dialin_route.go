package provider

import (
	"cmp"
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"

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
	if r.kind.hasWebhook() {
		attrs[attrWebhookHost] = webhookHostListAttribute("routes")
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
	filter, diags := r.kind.listFilterOf(ctx, req.Config)
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
	entries = slices.DeleteFunc(entries, filter.excludes)
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
			state := func() (routeValues, diag.Diagnostics) { return r.kind.routeState(e, nil) }
			if !push(r.kind.listResult(ctx, req, e.Key(), r.kind.routeIdentity(e.Key()), state)) {
				return
			}
		}
	}
}
