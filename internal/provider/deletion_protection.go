package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
)

// deletionProtectionAttribute is the deletion_protection of a resource
// whose destroy takes something from Daily; guards says what, and advice
// anything the resource's users must know besides.
func deletionProtectionAttribute(guards, advice string) schema.BoolAttribute {
	text := "When true, a plan that would destroy or replace " + guards + " fails: nothing of it is applied. "
	if advice != "" {
		text += advice + " "
	}
	return schema.BoolAttribute{
		Optional:            true,
		Computed:            true,
		Default:             booldefault.StaticBool(false),
		MarkdownDescription: text + "Set it to `false` and apply before destroying. Default `false`.",
	}
}

// protection is one protected object as its refusals name it, worded alike
// for every resource with a deletion_protection.
type protection struct {
	summary string // the diagnostic's summary, "… is protected from deletion"
	object  string // what the plan destroys, such as "the daily_phone_number +1…"
	loss    string // what destroying it does, such as "release the number"
}

// refusePlan fails a plan that destroys or replaces (action) the object,
// at the attribute that forces a replacement (path.Empty() for a destroy).
// The whole plan fails, so that nothing of it is applied.
func (p protection) refusePlan(action string, at path.Path, diags *diag.Diagnostics) {
	detail := fmt.Sprintf("This plan %s %s, whose deletion_protection is true, and would %s. The plan is refused, so nothing of it is applied. "+
		"To %s, set deletion_protection = false and apply first. To rename the resource, use a moved block; "+
		"to stop managing it without that, remove it from the state (a removed block with lifecycle { destroy = false }, or terraform state rm).",
		action, p.object, p.loss, p.loss)
	if at.Equal(path.Empty()) {
		diags.AddError(p.summary, detail)
		return
	}
	diags.AddAttributeError(at, p.summary, detail)
}

// refuseDelete fails a deletion that no plan refused: a -replace or a taint
// is planned without the resource's ModifyPlan seeing the destroy.
func (p protection) refuseDelete(diags *diag.Diagnostics) {
	diags.AddError(p.summary, fmt.Sprintf(
		"deletion_protection is true for %s, so the apply did not %s. Set deletion_protection = false and apply first, then destroy it.",
		p.object, p.loss))
}
