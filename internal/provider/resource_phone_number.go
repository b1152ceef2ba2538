package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

var (
	_ resource.Resource                     = &phoneNumberResource{}
	_ resource.ResourceWithConfigure        = &phoneNumberResource{}
	_ resource.ResourceWithConfigValidators = &phoneNumberResource{}
	_ resource.ResourceWithIdentity         = &phoneNumberResource{}
	_ resource.ResourceWithModifyPlan       = &phoneNumberResource{}
	_ resource.ResourceWithImportState      = &phoneNumberResource{}
)

// releaseHold is how long after purchase Daily refuses to release a number.
const releaseHold = 14 * 24 * time.Hour

func newPhoneNumberResource() resource.Resource {
	return &phoneNumberResource{}
}

type phoneNumberResource struct {
	data *providerData
}

func (r *phoneNumberResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_phone_number"
}

func (r *phoneNumberResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	const criterionNote = " Used only when buying: changing it later is stored without replacing the number."
	attrs := resourceSearchAttributes(criterionNote)
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: description,
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		}
	}
	attrs[attrID] = computed("Daily's id of the purchased number.")
	attrs[attrNumber] = schema.StringAttribute{
		MarkdownDescription: "The number in E.164 form (US or Canada). Set it to buy exactly this number; leave it unset to buy " +
			"a number matching the search criteria, or a random US number without criteria. Changing a configured number replaces the resource.",
		Optional: true,
		Computed: true,
		Validators: []validator.String{
			usPhoneNumberValidator(),
		},
		PlanModifiers: []planmodifier.String{
			stringplanmodifier.UseStateForUnknown(),
			stringplanmodifier.RequiresReplaceIf(requiresReplaceIfNumberChanged,
				"Changing a configured number buys the new number and releases the old one.",
				"Changing a configured number buys the new number and releases the old one."),
		},
	}
	attrs[attrDeletionProtection] = deletionProtectionAttribute("the resource, and so release the number,",
		"Protect the number's route with its own `deletion_protection` too.")
	attrs["name"] = computed("Name Daily shows for the number; it cannot be set through the API.")
	attrs["type"] = computed("Daily's type of the entry, `purchased_phone_number`.")
	attrs["status"] = computed("Daily's status of the number, e.g. `verified`.")
	attrs["verified"] = schema.BoolAttribute{
		MarkdownDescription: "Whether Daily reports the number as verified.",
		Computed:            true,
		PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
	}
	attrs["created_date"] = computed("When the number was bought (RFC 3339, UTC). Daily releases a number only 14 days after this.")

	resp.Schema = schema.Schema{
		MarkdownDescription: "A phone number bought for the Daily domain. Destroying it **releases** the number, which cannot be undone; " +
			"Daily refuses releases within 14 days of purchase. Set `deletion_protection` to guard against accidental release.",
		Attributes: attrs,
	}
}

func (r *phoneNumberResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			attrID: identityschema.StringAttribute{RequiredForImport: true, Description: "Daily's id of the purchased number."},
		},
	}
}

func (r *phoneNumberResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{searchCombinationValidator{exclusive: attrNumber}}
}

func (r *phoneNumberResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *phoneNumberResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan phoneNumberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}

	r.data.buyMu.Lock()
	defer r.data.buyMu.Unlock()

	number := plan.Number.ValueString() // "" when unset: unknown at plan time
	if number == "" && !plan.isEmpty() {
		search := plan.toAPI()
		available, err := r.data.client.ListAvailableNumbers(ctx, search)
		if err != nil {
			resp.Diagnostics.AddError("Cannot search for phone numbers", err.Error())
			return
		}
		if len(available) == 0 {
			resp.Diagnostics.AddError("No phone number for sale matches the search criteria",
				fmt.Sprintf("Daily offers no number matching %s. Loosen the criteria and apply again.", describeSearch(search)))
			return
		}
		number = available[0].Number
	}

	bought, err := purchase(ctx, r.data.client, number)
	if err != nil {
		resp.Diagnostics.AddError("Cannot buy phone number", err.Error())
		return
	}
	plan.setPurchased(bought.number)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, map[string]attr.Value{attrID: plan.ID})...)
	if bought.unread != nil {
		// The number is bought: it is recorded as created, so that it is
		// neither lost nor tainted (a replacement would try to release it,
		// which Daily refuses for 14 days). The next refresh fills in the details.
		resp.Diagnostics.AddWarning("Phone number bought, details not read yet",
			bought.unread.Error()+". The number is in the state; its other attributes are filled in by the next refresh.")
	}
}

func (r *phoneNumberResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state phoneNumberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Even a read that finds the number gone must return an identity, and a
	// state from a Terraform without identities has none yet.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, map[string]attr.Value{attrID: state.ID})...)

	found, err := findPurchased(ctx, r.data.client, state.ID.ValueString(), state.Number.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Cannot read phone number", err.Error())
		return
	}
	if found == nil {
		resp.State.RemoveResource(ctx)
		return
	}
	state.setPurchased(found)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update stores changes to deletion_protection and the search criteria,
// which need no API call: criteria only matter when buying.
func (r *phoneNumberResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state phoneNumberModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	var configured types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrNumber), &configured)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A number that was unknown at plan time was not replaced; it must turn out unchanged.
	if !configured.IsNull() && configured.ValueString() != state.Number.ValueString() {
		resp.Diagnostics.AddAttributeError(path.Root(attrNumber), "Phone number changed after planning",
			fmt.Sprintf("number became %s, but the resource holds %s and a number cannot be changed in place. Run terraform apply again to plan the replacement.",
				configured.ValueString(), state.Number.ValueString()))
		return
	}
	plan.Number = state.Number
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, map[string]attr.Value{attrID: state.ID})...)
}

func (r *phoneNumberResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state phoneNumberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.DeletionProtection.ValueBool() {
		numberProtection(state.Number.ValueString()).refuseDelete(&resp.Diagnostics)
		return
	}

	err := r.data.client.ReleasePhoneNumber(ctx, state.ID.ValueString())
	var apiErr *client.APIError
	switch {
	case err == nil, client.IsNotFound(err):
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnprocessableEntity:
		when := "14 days after it was bought"
		if from, ok := releasableFrom(state.CreatedDate); ok {
			when = "from " + from.Format(time.RFC3339) + " (14 days after purchase)"
		}
		resp.Diagnostics.AddError("Phone number cannot be released yet",
			fmt.Sprintf("Daily refuses to release %s within 14 days of purchase; release will succeed %s. Daily said: %s",
				state.Number.ValueString(), when, err))
	default:
		resp.Diagnostics.AddError("Cannot release phone number", err.Error())
	}
}

// ModifyPlan refuses a plan that would release a protected number, and
// warns before any other release, since none can be undone. A refusal fails
// the whole plan: nothing else of it (the number's route, say) is destroyed.
//
// The plan cannot tell a number replaced by -replace or because it is
// tainted: Delete refuses those, at apply.
func (r *phoneNumberResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return
	}
	var state phoneNumberModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	action := "destroys"
	if !req.Plan.Raw.IsNull() {
		var configured types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrNumber), &configured)...)
		if !numberChanged(configured, state.Number) {
			return
		}
		action = fmt.Sprintf("replaces (number changes to %s)", configured.ValueString())
	}
	number := state.Number.ValueString()
	if state.DeletionProtection.ValueBool() {
		numberProtection(number).refusePlan(action, path.Empty(), &resp.Diagnostics)
		return
	}
	detail := fmt.Sprintf("This plan releases %s back to Daily. A release cannot be undone: the number may be sold to someone else.", number)
	if from, ok := releasableFrom(state.CreatedDate); ok && time.Now().Before(from) {
		detail += fmt.Sprintf(" It was bought less than 14 days ago, so Daily will refuse the release until %s; "+
			"its dial-in route, if this plan removes it too, is removed all the same.", from.Format(time.RFC3339))
	}
	resp.Diagnostics.AddWarning("Phone number will be released", detail)
}

// ImportState takes the number's id or E.164 number, or an identity holding its id.
func (r *phoneNumberResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID == "" {
		resource.ImportStatePassthroughWithIdentity(ctx, path.Root(attrID), path.Root(attrID), req, resp)
		return
	}
	id := req.ID
	if strings.HasPrefix(id, "+") {
		numbers, err := r.data.client.ListPurchasedNumbers(ctx, client.PurchasedFilter{Number: id})
		if err != nil {
			resp.Diagnostics.AddError("Cannot look up phone number", err.Error())
			return
		}
		var match *client.PurchasedNumber
		for i := range numbers {
			if numbers[i].Number == req.ID {
				match = &numbers[i]
			}
		}
		if match == nil {
			resp.Diagnostics.AddError("Phone number not found",
				fmt.Sprintf("The Daily domain has not purchased %s. Import takes a purchased number's id or its E.164 number.", req.ID))
			return
		}
		id = match.ID
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrID), id)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, map[string]attr.Value{attrID: types.StringValue(id)})...)
}

// requiresReplaceIfNumberChanged replaces only when a configured number is
// changed to another configured number; unsetting it keeps the bought one.
func requiresReplaceIfNumberChanged(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = numberChanged(req.ConfigValue, req.StateValue)
}

func numberChanged(configured, held types.String) bool {
	return !configured.IsNull() && !configured.IsUnknown() && !held.IsNull() && !held.IsUnknown() &&
		configured.ValueString() != held.ValueString()
}

// releasableFrom is when Daily will accept releasing a number bought at createdDate.
func releasableFrom(createdDate types.String) (time.Time, bool) {
	created, err := time.Parse(time.RFC3339, createdDate.ValueString())
	if err != nil {
		return time.Time{}, false
	}
	return created.Add(releaseHold).UTC(), true
}

// describeSearch writes the criteria that are set as they are configured.
func describeSearch(s client.NumberSearch) string {
	query := s.Query()
	parts := make([]string, 0, len(query))
	for _, name := range slices.Sorted(maps.Keys(query)) {
		parts = append(parts, fmt.Sprintf("%s = %q", name, query.Get(name)))
	}
	return strings.Join(parts, ", ")
}

// numberProtection names a protected number in the refusals of its
// deletion_protection.
func numberProtection(number string) protection {
	return protection{
		summary: "Phone number is protected from deletion",
		object:  "the daily_phone_number " + number,
		loss:    "release the number",
	}
}
