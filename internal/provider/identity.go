package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// setIdentity sets the resource identity's attributes. Terraform before
// 1.12 has no identities: the framework then passes none.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, values map[string]attr.Value) diag.Diagnostics {
	var diags diag.Diagnostics
	if identity == nil {
		return diags
	}
	for name, v := range values {
		diags.Append(identity.SetAttribute(ctx, path.Root(name), v)...)
	}
	return diags
}

// routeKeyOfIdentity is the key of the route an import identity names.
func routeKeyOfIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, sipOnly bool) (string, diag.Diagnostics) {
	var number, prefix types.String
	diags := identity.GetAttribute(ctx, path.Root(attrPhoneNumber), &number)
	if sipOnly {
		diags.Append(identity.GetAttribute(ctx, path.Root(attrNamePrefix), &prefix)...)
	}
	if number.IsNull() && prefix.IsNull() {
		return "", diags
	}
	return dialin.RouteKey(number.ValueString(), prefix.ValueString()), diags
}
