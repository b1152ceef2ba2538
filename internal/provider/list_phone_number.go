package provider

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

var (
	_ list.ListResource              = &phoneNumberListResource{}
	_ list.ListResourceWithConfigure = &phoneNumberListResource{}
)

// newPhoneNumberListResource lists the daily_phone_number resources to import:
// every number the domain has purchased.
func newPhoneNumberListResource() list.ListResource {
	return &phoneNumberListResource{}
}

type phoneNumberListResource struct {
	data *providerData
}

func (r *phoneNumberListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_phone_number"
}

func (r *phoneNumberListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every phone number the Daily domain has purchased, by number; for `terraform query` and bulk import.",
		Attributes: map[string]schema.Attribute{
			attrNumberPrefix: numberPrefixListAttribute("numbers"),
			"name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only numbers with this name (Daily's `filter_name`).",
				Validators:          []validator.String{nonBlankStringValidator(200)},
			},
		},
	}
}

func (r *phoneNumberListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *phoneNumberListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config phoneNumberListModel
	diags := req.Config.Get(ctx, &config)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	numbers, err := r.data.client.ListPurchasedNumbers(ctx, client.PurchasedFilter{Name: config.Name.ValueString()})
	if err != nil {
		diags.AddError("Cannot list purchased phone numbers", err.Error())
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	// Daily's filter_number matches in ways it does not document: the
	// prefix is matched here.
	numbers = slices.DeleteFunc(numbers, func(n client.PurchasedNumber) bool {
		return !strings.HasPrefix(n.Number, config.NumberPrefix.ValueString())
	})
	slices.SortFunc(numbers, func(a, b client.PurchasedNumber) int { return cmp.Compare(a.Number, b.Number) })
	numbers = atMost(numbers, req.Limit)

	stream.Results = func(push func(list.ListResult) bool) {
		for i := range numbers {
			n := &numbers[i]
			result := req.NewListResult(ctx)
			result.DisplayName = n.Number
			result.Diagnostics.Append(setIdentity(ctx, result.Identity, map[string]attr.Value{attrID: types.StringValue(n.ID)})...)
			if req.IncludeResource {
				// As a Read of the number imported by this identity sets it.
				var model phoneNumberModel
				model.setPurchased(n)
				result.Diagnostics.Append(result.Resource.Set(ctx, &model)...)
			}
			if !push(result) {
				return
			}
		}
	}
}

// numberPrefixListAttribute filters listed objects by the start of their
// phone number; things names them.
func numberPrefixListAttribute(things string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		MarkdownDescription: "Only " + things + " whose phone number starts with this, e.g. `\"+1415\"`.",
		Validators:          []validator.String{numberPrefixValidator()},
	}
}

// atMost returns the first limit items, or all of them when limit is not
// positive: Terraform asks for at most limit results.
func atMost[T any](items []T, limit int64) []T {
	if limit > 0 && int64(len(items)) > limit {
		return items[:limit]
	}
	return items
}
