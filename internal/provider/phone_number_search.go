package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// The search criteria of GET /list-available-numbers, shared by the
// daily_phone_number resource and the daily_available_phone_numbers data source.

type searchCriterion struct {
	name        string
	description string
	validator   validator.String
}

var searchCriteria = []searchCriterion{
	{"areacode", "Three-digit area code, e.g. `\"415\"`. Cannot be combined with `region` or `city`.", areaCodeValidator()},
	{"region", "Two-letter US state or Canadian province, e.g. `\"CA\"`. Cannot be combined with `areacode`.", regionValidator()},
	{"city", "City name; requires `region` and cannot be combined with `areacode`, `starts_with`, `contains` or `ends_with`.", nonBlankStringValidator(100)},
	{"contains", "3 to 7 digits the number must contain. Cannot be combined with `starts_with`, `ends_with` or `city`.", searchDigitsValidator()},
	{"starts_with", "3 to 7 digits the number must start with (after `+1`). Cannot be combined with `contains`, `ends_with` or `city`.", searchDigitsValidator()},
	{"ends_with", "3 to 7 digits the number must end with. Cannot be combined with `contains`, `starts_with` or `city`.", searchDigitsValidator()},
}

// searchConflicts lists the pairs of criteria Daily refuses together; the
// diagnostic is attached to the first of each pair.
var searchConflicts = [][2]string{
	{"region", "areacode"},
	{"city", "areacode"},
	{"city", "starts_with"},
	{"city", "contains"},
	{"city", "ends_with"},
	{"starts_with", "contains"},
	{"starts_with", "ends_with"},
	{"ends_with", "contains"},
}

// searchCriteriaModel is embedded in the models of the objects that search.
type searchCriteriaModel struct {
	Areacode   types.String `tfsdk:"areacode"`
	Region     types.String `tfsdk:"region"`
	City       types.String `tfsdk:"city"`
	Contains   types.String `tfsdk:"contains"`
	StartsWith types.String `tfsdk:"starts_with"`
	EndsWith   types.String `tfsdk:"ends_with"`
}

func (m searchCriteriaModel) toAPI() client.NumberSearch {
	return client.NumberSearch{
		Areacode:   m.Areacode.ValueString(),
		Region:     m.Region.ValueString(),
		City:       m.City.ValueString(),
		Contains:   m.Contains.ValueString(),
		StartsWith: m.StartsWith.ValueString(),
		EndsWith:   m.EndsWith.ValueString(),
	}
}

func (m searchCriteriaModel) isEmpty() bool {
	return m.toAPI() == client.NumberSearch{}
}

// resourceSearchAttributes returns the criteria as resource attributes, each
// description followed by suffix.
func resourceSearchAttributes(suffix string) map[string]rschema.Attribute {
	attrs := make(map[string]rschema.Attribute, len(searchCriteria))
	for _, c := range searchCriteria {
		attrs[c.name] = rschema.StringAttribute{
			MarkdownDescription: c.description + suffix,
			Optional:            true,
			Validators:          []validator.String{c.validator},
		}
	}
	return attrs
}

// dataSourceSearchAttributes returns the criteria as data source attributes.
func dataSourceSearchAttributes() map[string]dschema.Attribute {
	attrs := make(map[string]dschema.Attribute, len(searchCriteria))
	for _, c := range searchCriteria {
		attrs[c.name] = dschema.StringAttribute{
			MarkdownDescription: c.description,
			Optional:            true,
			Validators:          []validator.String{c.validator},
		}
	}
	return attrs
}

// searchProblem is one broken combination rule.
type searchProblem struct {
	attribute string
	detail    string
}

// searchCombinationProblems checks which criteria may be used together.
// set holds the attributes that have a known, non-null value; exclusive names
// an attribute (such as number) that conflicts with every criterion, or is "".
func searchCombinationProblems(set map[string]bool, exclusive string) []searchProblem {
	var problems []searchProblem
	if exclusive != "" && set[exclusive] {
		for _, c := range searchCriteria {
			if set[c.name] {
				problems = append(problems, searchProblem{c.name, fmt.Sprintf(
					"Attribute %s cannot be combined with %s: search criteria are for buying a number that is not chosen in advance.", c.name, exclusive)})
			}
		}
	}
	for _, pair := range searchConflicts {
		if set[pair[0]] && set[pair[1]] {
			problems = append(problems, searchProblem{pair[0], fmt.Sprintf(
				"Attribute %s cannot be combined with %s: Daily's number search does not accept them together.", pair[0], pair[1])})
		}
	}
	if set["city"] && !set["region"] {
		problems = append(problems, searchProblem{"city", "Attribute city requires region: Daily searches cities only within a state or province."})
	}
	return problems
}

// searchCombinationValidator applies searchCombinationProblems at plan time to
// a resource or a data source.
type searchCombinationValidator struct {
	exclusive string
}

var (
	_ resource.ConfigValidator   = searchCombinationValidator{}
	_ datasource.ConfigValidator = searchCombinationValidator{}
)

func (v searchCombinationValidator) Description(context.Context) string {
	return "search criteria must be a combination that Daily accepts"
}

func (v searchCombinationValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v searchCombinationValidator) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	resp.Diagnostics.Append(v.validate(ctx, req.Config)...)
}

func (v searchCombinationValidator) ValidateDataSource(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	resp.Diagnostics.Append(v.validate(ctx, req.Config)...)
}

func (v searchCombinationValidator) validate(ctx context.Context, config tfsdk.Config) diag.Diagnostics {
	var diags diag.Diagnostics
	names := []string{}
	for _, c := range searchCriteria {
		names = append(names, c.name)
	}
	if v.exclusive != "" {
		names = append(names, v.exclusive)
	}
	set := map[string]bool{}
	for _, name := range names {
		var value types.String
		diags.Append(config.GetAttribute(ctx, path.Root(name), &value)...)
		// An unknown value cannot be judged yet; Daily rejects a bad combination at purchase anyway.
		set[name] = !value.IsNull() && !value.IsUnknown()
	}
	for _, p := range searchCombinationProblems(set, v.exclusive) {
		diags.AddAttributeError(path.Root(p.attribute), "Invalid combination of search criteria", p.detail)
	}
	return diags
}
