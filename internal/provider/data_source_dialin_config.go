package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

var (
	_ datasource.DataSourceWithConfigure        = &configDataSource{}
	_ datasource.DataSourceWithConfigValidators = &configDataSource{}
)

// newPinlessDialinConfigDataSource is the daily_pinless_dialin_config data source.
func newPinlessDialinConfigDataSource() datasource.DataSource {
	return &configDataSource{kind: pinlessKind}
}

// newPinDialinConfigDataSource is the daily_pin_dialin_config data source.
func newPinDialinConfigDataSource() datasource.DataSource {
	return &configDataSource{kind: pinKind}
}

// configDataSource reads one dial-in config object, whoever manages it.
type configDataSource struct {
	kind *arrayKind
	data *providerData
}

func (d *configDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.kind.configTypeName()
}

func (d *configDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := computedDataSourceAttributes(d.kind.routeAttributes(perRoute, map[string]schema.Attribute{}))
	lookups := "`" + attrID + "` or `" + attrPhoneNumber + "`"
	attrs[attrID] = dsschema.StringAttribute{
		Optional:            true,
		Computed:            true,
		MarkdownDescription: "Daily's id of the config object to read.",
	}
	attrs[attrPhoneNumber] = dsschema.StringAttribute{
		Optional:            true,
		Computed:            true,
		MarkdownDescription: "The number whose config object to read, in E.164 form; otherwise the object's number.",
		Validators:          []validator.String{e164Validator()},
	}
	if d.kind.sipOnly {
		lookups = "`" + attrID + "`, `" + attrPhoneNumber + "` or `" + attrNamePrefix + "`"
		attrs[attrNamePrefix] = dsschema.StringAttribute{
			Optional: true,
			Computed: true,
			MarkdownDescription: "The `name_prefix` of the config object to read, such as a SIP-only one (it fails when several objects have it); " +
				"otherwise the object's prefix.",
			Validators: []validator.String{nonBlankStringValidator(100)},
		}
	}
	description := "Reads one " + d.kind.array + " config object of Daily's `/domain-dialin-config` API, by " + lookups +
		", whoever manages it: the `sip_uri` of an object made elsewhere, say."
	if uri, ok := attrs[attrSIPURI].(dsschema.StringAttribute); ok {
		uri.MarkdownDescription = "SIP URI Daily generated for this config."
		attrs[attrSIPURI] = uri
	}
	if secret, ok := d.kind.secret(); ok {
		attrs[attrIncludeHMAC] = dsschema.BoolAttribute{
			Optional: true,
			Computed: true,
			MarkdownDescription: "Whether to read the object's `" + secret.name + "` into the state. Default `false`: `" + secret.name + "` is then null. " +
				"The ephemeral resource `daily_" + d.kind.routeTypeName() + "` reads a secret without storing it.",
		}
		if hmacAttr, ok := attrs[secret.name].(dsschema.StringAttribute); ok {
			hmacAttr.MarkdownDescription = "With `" + attrIncludeHMAC + " = true`, the base64 secret with which Daily signs this config's webhook requests; null otherwise."
			attrs[secret.name] = hmacAttr
		}
		description += " Its secret stays out of the state unless `" + attrIncludeHMAC + "` is set."
	}
	resp.Schema = dsschema.Schema{MarkdownDescription: description, Attributes: attrs}
}

func (d *configDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	lookups := []path.Expression{path.MatchRoot(attrID), path.MatchRoot(attrPhoneNumber)}
	if d.kind.sipOnly {
		lookups = append(lookups, path.MatchRoot(attrNamePrefix))
	}
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(lookups...)}
}

func (d *configDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *configDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var id, number, prefix types.String
	var include types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrID), &id)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrPhoneNumber), &number)...)
	if d.kind.sipOnly {
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrNamePrefix), &prefix)...)
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrIncludeHMAC), &include)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	obj, diags := d.find(ctx, id, number, prefix)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	values, diags := d.kind.objectState(obj, nil)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	values = values.withOnly(attributeTypes(resp.State.Schema.Type()))
	if secret, ok := d.kind.secret(); ok {
		if !include.ValueBool() {
			values[secret.name] = types.StringNull()
		}
		values[attrIncludeHMAC] = types.BoolValue(include.ValueBool())
	}
	object, diags := types.ObjectValue(attributeTypes(resp.State.Schema.Type()), values)
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, object)...)
	}
}

// find reads the object the configuration names by id, number or prefix.
func (d *configDataSource) find(ctx context.Context, id, number, prefix types.String) (client.DialinConfig, diag.Diagnostics) {
	var diags diag.Diagnostics
	switch {
	case !number.IsNull():
		var found string
		found, diags = d.kind.objectIDOf(ctx, d.data.dialin, number.ValueString())
		if diags.HasError() {
			return client.DialinConfig{}, diags
		}
		id = types.StringValue(found)
	case !prefix.IsNull():
		objects, diags := d.kind.objectsOfKind(ctx, d.data.dialin)
		if diags.HasError() {
			return client.DialinConfig{}, diags
		}
		matches := slices.DeleteFunc(objects, func(o client.DialinConfig) bool {
			p, _ := o.Text(attrNamePrefix)
			return p != prefix.ValueString()
		})
		if len(matches) == 1 {
			return matches[0], diags
		}
		ids := make([]string, len(matches))
		for i, o := range matches {
			ids[i] = o.ID
		}
		if len(matches) == 0 {
			diags.AddAttributeError(path.Root(attrNamePrefix), "Dial-in config not found",
				fmt.Sprintf("Daily holds no %s config object with name_prefix %q.", d.kind.array, prefix.ValueString()))
		} else {
			diags.AddAttributeError(path.Root(attrNamePrefix), "Dial-in config is ambiguous", fmt.Sprintf(
				"%d %s config objects have name_prefix %q: %s. Name one by its id or phone_number instead.",
				len(matches), d.kind.array, prefix.ValueString(), strings.Join(ids, ", ")))
		}
		return client.DialinConfig{}, diags
	}
	obj, found, readDiags := d.kind.readObject(ctx, d.data.dialin, id.ValueString())
	if diags.Append(readDiags...); !diags.HasError() && !found {
		diags.AddAttributeError(path.Root(attrID), "Dial-in config not found", fmt.Sprintf("Daily holds no dial-in config object %s.", id.ValueString()))
	}
	return obj, diags
}
