package provider

import (
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// routeAttrs is the part of a dial-in entry a user configures, shared by the
// per-route resources (with the phone number beside it) and the exclusive
// resources (keyed by phone number in a map).
type routeAttrs interface {
	// spec is the desired entry for key. Null attributes are left out;
	// unknown ones (a computed hmac not yet known) keep Daily's value.
	spec(key string) dialin.RouteSpec
	// load sets every attribute from the entry as Daily holds it.
	load(e dialin.Entry)
}

// arrayKind describes one of the domain's dial-in arrays.
type arrayKind struct {
	array string // the domain config property
	noun  string // for messages
	// sipOnly is true when entries may lack a phone number (pinless SIP
	// interconnects); such an entry is keyed by dialin.SIPKeyPrefix + name_prefix.
	sipOnly bool
}

var (
	pinlessKind = arrayKind{array: client.PinlessDialin, noun: "pinless dial-in route", sipOnly: true}
	pinKind     = arrayKind{array: client.PinDialin, noun: "PIN dial-in route"}
)

type messageModel struct {
	Message types.String `tfsdk:"message"`
}

// PinlessRoute is a pinless_dialin entry less its phone number.
type PinlessRoute struct {
	RoomCreationAPI types.String  `tfsdk:"room_creation_api"`
	NamePrefix      types.String  `tfsdk:"name_prefix"`
	HoldMusicURL    types.String  `tfsdk:"hold_music_url"`
	TimeoutConfig   *messageModel `tfsdk:"timeout_config"`
	HMAC            types.String  `tfsdk:"hmac"`
	SIPURI          types.String  `tfsdk:"sip_uri"`
}

var pinlessManaged = []string{"phone_number", "room_creation_api", "name_prefix", "hold_music_url", "timeout_config", "hmac"}

func (r *PinlessRoute) spec(key string) dialin.RouteSpec {
	set := dialin.KeyFields(key)
	putString(set, "room_creation_api", r.RoomCreationAPI)
	putString(set, "name_prefix", r.NamePrefix)
	putString(set, "hold_music_url", r.HoldMusicURL)
	putMessage(set, "timeout_config", r.TimeoutConfig)
	putString(set, "hmac", r.HMAC)
	return dialin.RouteSpec{Key: key, Set: set, Managed: pinlessManaged, Preserve: []string{"hmac"}}
}

func (r *PinlessRoute) load(e dialin.Entry) {
	r.RoomCreationAPI = stringField(e, "room_creation_api")
	r.NamePrefix = stringField(e, "name_prefix")
	r.HoldMusicURL = stringField(e, "hold_music_url")
	r.TimeoutConfig = messageField(e, "timeout_config")
	r.HMAC = stringField(e, "hmac")
	r.SIPURI = stringField(e, "sip_uri")
}

func pinlessRouteAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"room_creation_api": schema.StringAttribute{
			Required:            true,
			MarkdownDescription: "The webhook Daily POSTs to when a call arrives on this number (absolute `http(s)` URL). Hosting it is up to you.",
			Validators:          []validator.String{httpURLValidator()},
		},
		"name_prefix": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Prefix for the names of the rooms and calls of this route. Identifies a SIP-only route.",
			Validators:          []validator.String{nonBlankStringValidator(100)},
		},
		"hold_music_url": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Public MP3 played while the call waits (Daily: under 60 s and 10 MB).",
			Validators:          []validator.String{httpURLValidator()},
		},
		"timeout_config": schema.SingleNestedAttribute{
			Optional:            true,
			MarkdownDescription: "What the caller hears when no room is ready in time.",
			Attributes: map[string]schema.Attribute{
				"message": schema.StringAttribute{
					Required:            true,
					MarkdownDescription: "The spoken message.",
					Validators:          []validator.String{nonBlankStringValidator(1000)},
				},
			},
		},
		"hmac": schema.StringAttribute{
			Optional:  true,
			Computed:  true,
			Sensitive: true,
			MarkdownDescription: "Base64 secret with which Daily signs the webhook requests of this route. " +
				"Leave it unset to keep the secret Daily mints when the route is created: the provider re-sends it on every later write, so it never rotates.",
			Validators:    []validator.String{base64Validator()},
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"sip_uri": schema.StringAttribute{
			Computed:            true,
			MarkdownDescription: "SIP URI Daily generated for this route.",
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
	}
}

// PinRoute is a pin_dialin entry less its phone number.
type PinRoute struct {
	NamePrefix  types.String  `tfsdk:"name_prefix"`
	IVRGreeting *messageModel `tfsdk:"ivr_greeting"`
}

var pinManaged = []string{"phone_number", "name_prefix", "ivr_greeting"}

func (r *PinRoute) spec(key string) dialin.RouteSpec {
	set := dialin.KeyFields(key)
	putString(set, "name_prefix", r.NamePrefix)
	putMessage(set, "ivr_greeting", r.IVRGreeting)
	return dialin.RouteSpec{Key: key, Set: set, Managed: pinManaged}
}

func (r *PinRoute) load(e dialin.Entry) {
	r.NamePrefix = stringField(e, "name_prefix")
	r.IVRGreeting = messageField(e, "ivr_greeting")
}

func pinRouteAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"name_prefix": schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: "Prefix for the names of the calls of this route.",
			Validators:          []validator.String{nonBlankStringValidator(100)},
		},
		"ivr_greeting": schema.SingleNestedAttribute{
			Optional:            true,
			MarkdownDescription: "What callers hear before they are asked for the PIN.",
			Attributes: map[string]schema.Attribute{
				"message": schema.StringAttribute{
					Required:            true,
					MarkdownDescription: "The spoken greeting.",
					Validators:          []validator.String{nonBlankStringValidator(1000)},
				},
			},
		},
	}
}

// routeKeyValidator accepts the keys of an array: E.164 numbers, plus
// "sip:<name_prefix>" where SIP-only entries exist.
func (k arrayKind) routeKeyValidator() validator.String {
	if !k.sipOnly {
		return e164Validator()
	}
	return stringvalidator.Any(e164Validator(), stringCheck{
		want:  `"sip:" followed by the route's name_prefix`,
		check: patternCheck(sipKeyPattern, "not a SIP route key"),
	})
}

func putString(set map[string]json.RawMessage, field string, v types.String) {
	if !v.IsNull() && !v.IsUnknown() {
		set[field] = mustJSON(v.ValueString())
	}
}

func putMessage(set map[string]json.RawMessage, field string, m *messageModel) {
	if m != nil && !m.Message.IsNull() && !m.Message.IsUnknown() {
		set[field] = mustJSON(map[string]string{"message": m.Message.ValueString()})
	}
}

func stringField(e dialin.Entry, field string) types.String {
	if _, ok := e.Fields[field]; !ok {
		return types.StringNull()
	}
	return types.StringValue(e.String(field))
}

func messageField(e dialin.Entry, field string) *messageModel {
	raw, ok := e.Fields[field]
	if !ok || string(raw) == "null" {
		return nil
	}
	var m struct {
		Message *string `json:"message"`
	}
	_ = json.Unmarshal(raw, &m)
	return &messageModel{Message: types.StringPointerValue(m.Message)}
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only strings and string maps are marshalled here
	}
	return b
}
