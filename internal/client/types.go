package client

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"
)

// Names of the domain config properties that hold dial-in routes.
const (
	PinlessDialin = "pinless_dialin"
	PinDialin     = "pin_dialin"
)

// Domain is the answer of GET / and POST /. Config keeps every property as raw
// JSON so that settings this client does not model survive a round trip unchanged.
type Domain struct {
	DomainName string                     `json:"domain_name"`
	DomainID   string                     `json:"domain_id"`
	Config     map[string]json.RawMessage `json:"config"`
}

// DialinEntries returns the entries of one dial-in array (PinlessDialin or
// PinDialin), each exactly as Daily sent it. A missing or null array is empty.
func (d *Domain) DialinEntries(array string) ([]json.RawMessage, error) {
	raw, ok := d.Config[array]
	if !ok || len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var entries []json.RawMessage
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil, &DecodeError{What: "domain config " + array, Err: err}
	}
	return entries, nil
}

// NumberSearch holds the criteria of GET /list-available-numbers. Empty fields are not sent.
type NumberSearch struct {
	Areacode   string
	Region     string
	City       string
	Contains   string
	StartsWith string
	EndsWith   string
}

// Query returns the criteria that are set as the endpoint's query parameters.
func (s NumberSearch) Query() url.Values {
	return queryOf(map[string]string{
		"areacode":    s.Areacode,
		"region":      s.Region,
		"city":        s.City,
		"contains":    s.Contains,
		"starts_with": s.StartsWith,
		"ends_with":   s.EndsWith,
	})
}

// queryOf is the query of the parameters that are set, less the empty
// ones: the number search's criteria and the config list's filters are
// optional, each sent only when set.
func queryOf(params map[string]string) url.Values {
	query := url.Values{}
	for name, value := range params {
		if value != "" {
			query.Set(name, value)
		}
	}
	return query
}

// AvailableNumber is one number offered for purchase.
type AvailableNumber struct {
	Number string
	Region string
}

// BoughtNumber is the answer of POST /buy-phone-number.
type BoughtNumber struct {
	ID     string
	Number string
}

// PurchasedNumber is one number the domain owns.
type PurchasedNumber struct {
	ID          string
	Number      string
	Name        *string
	Type        string
	Status      string
	Verified    bool
	CreatedDate time.Time
}

// PurchasedFilter narrows GET /purchased-phone-numbers. Empty fields are not sent.
type PurchasedFilter struct {
	Name   string
	Number string
}

// Types of dial-in config objects (/domain-dialin-config): the same names as
// the domain arrays.
const (
	DialinConfigPinless = PinlessDialin
	DialinConfigPin     = PinDialin
)

// DialinConfig is one object of /domain-dialin-config. Config keeps every
// field as raw JSON, exactly as Daily sent it, so that callers can compare a
// field or send it back unchanged; a null phone_number (a SIP-only pinless
// object) is left out, as if absent.
type DialinConfig struct {
	ID     string
	Type   string
	Config map[string]json.RawMessage
}

// Text returns a string field of the config and whether it is set to a
// string (absent, null and other types are not).
func (c *DialinConfig) Text(field string) (string, bool) {
	var s string
	if err := json.Unmarshal(c.Config[field], &s); err != nil {
		return "", false
	}
	return s, true
}

// PhoneNumber is the config's number, "" for a SIP-only pinless object.
func (c *DialinConfig) PhoneNumber() string {
	n, _ := c.Text("phone_number")
	return n
}

// DialinConfigFilter narrows GET /domain-dialin-config. Empty fields are not sent.
type DialinConfigFilter struct {
	PhoneNumber  string   // exact number
	PhoneNumbers []string // any of these (Daily matches each as a substring)
	SIPUsername  string   // the local part of a sip_uri
	NamePrefix   string
	Type         string // DialinConfigPinless or DialinConfigPin
}

// Query returns the filters that are set as the endpoint's query parameters.
func (f DialinConfigFilter) Query() url.Values {
	return queryOf(map[string]string{
		"phone_number":  f.PhoneNumber,
		"phone_numbers": strings.Join(f.PhoneNumbers, ","),
		"sip_username":  f.SIPUsername,
		"name_prefix":   f.NamePrefix,
		"type":          f.Type,
	})
}
