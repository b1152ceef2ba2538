package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource                     = &availablePhoneNumbersDataSource{}
	_ datasource.DataSourceWithConfigure        = &availablePhoneNumbersDataSource{}
	_ datasource.DataSourceWithConfigValidators = &availablePhoneNumbersDataSource{}
)

func newAvailablePhoneNumbersDataSource() datasource.DataSource {
	return &availablePhoneNumbersDataSource{}
}

type availablePhoneNumbersDataSource struct {
	data *providerData
}

func (d *availablePhoneNumbersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_available_phone_numbers"
}

func (d *availablePhoneNumbersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := dataSourceSearchAttributes()
	attrs["numbers"] = schema.ListNestedAttribute{
		MarkdownDescription: "Numbers for sale that match the criteria, in Daily's order.",
		Computed:            true,
		NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{
				attrNumber: schema.StringAttribute{MarkdownDescription: "The number in E.164 form.", Computed: true},
				"region":   schema.StringAttribute{MarkdownDescription: "Its state or province code.", Computed: true},
			},
		},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Searches the US and Canadian phone numbers Daily has for sale. Without criteria Daily returns a sample of its inventory.",
		Attributes:          attrs,
	}
}

func (d *availablePhoneNumbersDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{searchCombinationValidator{}}
}

func (d *availablePhoneNumbersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *availablePhoneNumbersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config availablePhoneNumbersModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	available, err := d.data.client.ListAvailableNumbers(ctx, config.toAPI())
	if err != nil {
		resp.Diagnostics.AddError("Cannot search for phone numbers", err.Error())
		return
	}
	config.Numbers = make([]availablePhoneNumberModel, 0, len(available))
	for _, n := range available {
		config.Numbers = append(config.Numbers, availablePhoneNumberModel{
			Number: types.StringValue(n.Number),
			Region: types.StringValue(n.Region),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
