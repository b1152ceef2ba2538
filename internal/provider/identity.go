package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
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
