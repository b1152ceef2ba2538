package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

var (
	_ datasource.DataSource              = &phoneNumbersDataSource{}
	_ datasource.DataSourceWithConfigure = &phoneNumbersDataSource{}
)

func newPhoneNumbersDataSource() datasource.DataSource {
	return &phoneNumbersDataSource{}
}

type phoneNumbersDataSource struct {
	data *providerData
}

func (d *phoneNumbersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_phone_numbers"
}

func (d *phoneNumbersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every phone number the Daily domain has purchased, optionally filtered by name or number.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Only numbers with this name (Daily's `filter_name`).",
				Optional:            true,
				Validators:          []validator.String{nonBlankStringValidator(200)},
			},
			attrNumber: schema.StringAttribute{
				MarkdownDescription: "Only this number, in E.164 form (Daily's `filter_number`).",
				Optional:            true,
				Validators:          []validator.String{e164Validator()},
			},
			"phone_numbers": schema.ListNestedAttribute{
				MarkdownDescription: "The purchased numbers, newest first.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						attrID:         computed("Daily's id of the number."),
						attrNumber:     computed("The number in E.164 form."),
						"name":         computed("Name Daily shows for the number, if any."),
						"type":         computed("Daily's type of the entry, `purchased_phone_number`."),
						"status":       computed("Daily's status of the number."),
						"verified":     schema.BoolAttribute{MarkdownDescription: "Whether Daily reports the number as verified.", Computed: true},
						"created_date": computed("When the number was bought (RFC 3339, UTC)."),
					},
				},
			},
		},
	}
}

func (d *phoneNumbersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *phoneNumbersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config phoneNumbersModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	numbers, err := d.data.client.ListPurchasedNumbers(ctx, client.PurchasedFilter{
		Name:   config.Name.ValueString(),
		Number: config.Number.ValueString(),
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot list purchased phone numbers", err.Error())
		return
	}
	config.PhoneNumbers = make([]purchasedPhoneNumberModel, 0, len(numbers))
	for i := range numbers {
		config.PhoneNumbers = append(config.PhoneNumbers, purchasedPhoneNumberModelOf(&numbers[i]))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}
