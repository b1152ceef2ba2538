package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// Attribute names that code refers to, beside the schema that declares
// them: in paths, identities, validators and maps of values. A route field's
// name is also its JSON name in Daily's entry. A name written only where it
// is declared (most route fields, in route_fields.go) keeps its literal there.
const (
	attrID     = "id"
	attrNumber = "number" // of daily_phone_number and the phone-number data sources
	// attrDeletionProtection makes a plan that would destroy or replace a
	// daily_phone_number or a per-route resource fail.
	attrDeletionProtection = "deletion_protection"

	// The dial-in routes.
	attrPhoneNumber     = "phone_number"
	attrNamePrefix      = "name_prefix"       // also the identity of a SIP-only route
	attrRoomCreationAPI = "room_creation_api" // a pinless route's webhook
	attrHMAC            = "hmac"
	attrSIPURI          = "sip_uri"
	// The write-only way to set a route's hmac, on the per-route pinless
	// resource, and the version whose change sends it.
	attrHMACWO        = "hmac_wo"
	attrHMACWOVersion = "hmac_wo_version"

	// The whole arrays: the exclusive resources and the data sources.
	attrRoutes = "routes"
	// attrHMACs and attrSIPURIs are the top-level maps in which an
	// exclusive resource and a data source keep their routes' secrets and
	// SIP URIs, keyed like routes (see asideAttribute).
	attrHMACs    = "hmacs"
	attrSIPURIs  = "sip_uris"
	attrDomainID = "domain_id" // the identity of an exclusive resource
	// attrIncludeHMACs asks a data source for its routes' secrets, which it
	// leaves out of the state otherwise.
	attrIncludeHMACs = "include_hmacs"

	// The list resources' filters.
	attrNumberPrefix = "number_prefix"
	attrWebhookHost  = "webhook_host"
)

// The models of the phone-number objects, which share what Daily says of a
// purchased number. The dial-in objects have no structs: their field table
// (route_fields.go) shapes them.

// purchasedPhoneNumberModel is what Daily says of a purchased number, in the
// data source and the daily_phone_number resource alike.
type purchasedPhoneNumberModel struct {
	ID          types.String `tfsdk:"id"`
	Number      types.String `tfsdk:"number"`
	Name        types.String `tfsdk:"name"`
	Type        types.String `tfsdk:"type"`
	Status      types.String `tfsdk:"status"`
	Verified    types.Bool   `tfsdk:"verified"`
	CreatedDate types.String `tfsdk:"created_date"`
}

// purchasedPhoneNumberModelOf is the model of n, a number Daily lists.
func purchasedPhoneNumberModelOf(n *client.PurchasedNumber) purchasedPhoneNumberModel {
	created := ""
	if !n.CreatedDate.IsZero() {
		created = n.CreatedDate.UTC().Format(time.RFC3339)
	}
	return purchasedPhoneNumberModel{
		ID:          types.StringValue(n.ID),
		Number:      types.StringValue(n.Number),
		Name:        types.StringPointerValue(n.Name),
		Type:        types.StringValue(n.Type),
		Status:      types.StringValue(n.Status),
		Verified:    types.BoolValue(n.Verified),
		CreatedDate: types.StringValue(created),
	}
}

// phoneNumberModel is the daily_phone_number resource.
type phoneNumberModel struct {
	purchasedPhoneNumberModel
	searchCriteriaModel
	DeletionProtection types.Bool `tfsdk:"deletion_protection"`
}

// setPurchased fills every attribute Daily knows from n; arguments stay as set.
func (m *phoneNumberModel) setPurchased(n *client.PurchasedNumber) {
	m.purchasedPhoneNumberModel = purchasedPhoneNumberModelOf(n)
	if m.DeletionProtection.IsNull() || m.DeletionProtection.IsUnknown() {
		m.DeletionProtection = types.BoolValue(false)
	}
}

// phoneNumbersModel is the daily_phone_numbers data source.
type phoneNumbersModel struct {
	Name         types.String                `tfsdk:"name"`
	Number       types.String                `tfsdk:"number"`
	PhoneNumbers []purchasedPhoneNumberModel `tfsdk:"phone_numbers"`
}

// availablePhoneNumbersModel is the daily_available_phone_numbers data source.
type availablePhoneNumbersModel struct {
	searchCriteriaModel
	Numbers []availablePhoneNumberModel `tfsdk:"numbers"`
}

// availablePhoneNumberModel is one number for sale.
type availablePhoneNumberModel struct {
	Number types.String `tfsdk:"number"`
	Region types.String `tfsdk:"region"`
}

// phoneNumberListModel is the configuration of the daily_phone_number list resource.
type phoneNumberListModel struct {
	NumberPrefix types.String `tfsdk:"number_prefix"`
	Name         types.String `tfsdk:"name"`
}
