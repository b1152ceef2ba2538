package provider

import (
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/daily-tf/terraform-provider-daily/internal/dialin"
)

// encodeValue is the JSON of a known, non-null string or object of strings.
func encodeValue(v attr.Value) (json.RawMessage, bool) {
	if v == nil || v.IsNull() || v.IsUnknown() {
		return nil, false
	}
	switch v := v.(type) {
	case types.String:
		return mustJSON(v.ValueString()), true
	case types.Object:
		fields := map[string]string{}
		for name, a := range v.Attributes() {
			if s, ok := a.(types.String); ok && !s.IsNull() && !s.IsUnknown() {
				fields[name] = s.ValueString()
			}
		}
		if len(fields) == 0 {
			return nil, false
		}
		return mustJSON(fields), true
	}
	panic("encodeValue: unhandled attribute value type")
}

// decodeField reads a field of the entry as a value of type typ: a string,
// or an object of strings. A field the entry lacks is null, and so is a
// null object; a null string is "". JSON of another form is an error, with
// a null value.
func decodeField(e dialin.Entry, field string, typ attr.Type) (attr.Value, error) {
	raw, present := e.Fields[field]
	if attrTypes := attributeTypes(typ); attrTypes != nil {
		if !present || string(raw) == "null" {
			return types.ObjectNull(attrTypes), nil
		}
		var texts map[string]*string
		if err := json.Unmarshal(raw, &texts); err != nil {
			return types.ObjectNull(attrTypes), err
		}
		values := make(map[string]attr.Value, len(attrTypes))
		for name := range attrTypes {
			values[name] = types.StringPointerValue(texts[name])
		}
		return types.ObjectValueMust(attrTypes, values), nil
	}
	if !present {
		return types.StringNull(), nil
	}
	var text string
	if err := json.Unmarshal(raw, &text); err != nil {
		return types.StringNull(), err
	}
	return types.StringValue(text), nil
}

// attributeTypes returns the attribute types of an object type, such as a
// schema's type.
func attributeTypes(t attr.Type) map[string]attr.Type {
	if object, ok := t.(attr.TypeWithAttributeTypes); ok {
		return object.AttributeTypes()
	}
	return nil
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only strings and string maps are marshalled here
	}
	return b
}
