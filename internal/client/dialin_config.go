package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// The per-object dial-in API, /domain-dialin-config (contract section 3).

const dialinConfigPath = "/domain-dialin-config"

const dialinConfigPageSize = 100 // the endpoint's maximum

// CreateDialinConfig creates a dial-in config object of type typ
// (DialinConfigPinless or DialinConfigPin) from fields, a JSON object of
// config fields, sent byte for byte after the type. Never retried except on
// 429: any other failure may have created the object, so the caller finds
// what it made (by number, say) before trying again.
func (c *Client) CreateDialinConfig(ctx context.Context, typ string, fields json.RawMessage) (*DialinConfig, error) {
	if typ == "" {
		return nil, errors.New("daily: creating a dial-in config needs its type")
	}
	if err := checkConfigFields(fields); err != nil {
		return nil, err
	}
	// The flat body Daily documents: {"type": ..., <fields>}.
	key, err := json.Marshal(typ)
	if err != nil {
		return nil, fmt.Errorf("daily: encoding dial-in config type: %w", err)
	}
	rest := bytes.TrimSpace(fields)[1:] // after "{"
	body := append([]byte(`{"type":`), key...)
	if len(bytes.TrimSpace(rest)) > 1 { // not just "}"
		body = append(body, ',')
	}
	body = append(body, rest...)
	req := request{method: http.MethodPost, path: dialinConfigPath, body: body, retry: isRateLimited}
	return c.doDialinConfig(ctx, req)
}

// GetDialinConfig reads one object by id; IsNotFound(err) when there is none.
func (c *Client) GetDialinConfig(ctx context.Context, id string) (*DialinConfig, error) {
	path, err := dialinConfigIDPath("reading", id)
	if err != nil {
		return nil, err
	}
	return c.doDialinConfig(ctx, request{method: http.MethodGet, path: path, retry: IsRetryable})
}

// UpdateDialinConfig sends body, a JSON object of config fields without
// "type", byte for byte as the PUT of the object id. Whether Daily keeps the
// fields a PUT leaves out, and an hmac it leaves out, is not documented: send
// every field (null for one to clear) and the secret. Retried like a read: a
// PUT of the same body leaves the same object however often it lands.
func (c *Client) UpdateDialinConfig(ctx context.Context, id string, body json.RawMessage) (*DialinConfig, error) {
	path, err := dialinConfigIDPath("updating", id)
	if err != nil {
		return nil, err
	}
	if err := checkConfigFields(body); err != nil {
		return nil, err
	}
	return c.doDialinConfig(ctx, request{method: http.MethodPut, path: path, body: body, retry: IsRetryable})
}

// DeleteDialinConfig deletes the object id. A 404 is returned as an error
// for which IsNotFound is true: the object is gone either way, and a retry
// whose first attempt landed unanswered ends there too.
func (c *Client) DeleteDialinConfig(ctx context.Context, id string) error {
	path, err := dialinConfigIDPath("deleting", id)
	if err != nil {
		return err
	}
	// Daily answers {"status":"ok"} [inferred] or nothing; either means deleted.
	var answer struct {
		Status string `json:"status"`
	}
	return c.do(ctx, request{method: http.MethodDelete, path: path, retry: IsRetryable, emptyOK: true}, &answer)
}

// ListDialinConfigs returns every object that matches filter (all pages,
// newest first).
func (c *Client) ListDialinConfigs(ctx context.Context, filter DialinConfigFilter) ([]DialinConfig, error) {
	query := filter.Query()
	query.Set("limit", strconv.Itoa(dialinConfigPageSize))
	var configs []DialinConfig
	usedCursors := map[string]bool{}
	for {
		var page struct {
			TotalCount int                `json:"total_count"`
			Data       []dialinConfigWire `json:"data"`
		}
		req := request{method: http.MethodGet, path: dialinConfigPath, query: query, retry: IsRetryable}
		if err := c.do(ctx, req, &page); err != nil {
			return nil, err
		}
		if page.Data == nil {
			return nil, &DecodeError{What: "dial-in configs", Err: errors.New(`no "data" array in the answer`)}
		}
		for i, item := range page.Data {
			config, err := item.toDialinConfig()
			if err != nil {
				return nil, &DecodeError{What: "dial-in configs", Err: fmt.Errorf("item %d: %w", len(configs)+i, err)}
			}
			configs = append(configs, *config)
		}
		// A missing total_count (0) cannot end the listing; a short page does.
		if len(page.Data) < dialinConfigPageSize || (page.TotalCount > 0 && len(configs) >= page.TotalCount) {
			return configs, nil
		}
		cursor := configs[len(configs)-1].ID
		if usedCursors[cursor] {
			return nil, &DecodeError{What: "dial-in configs", Err: fmt.Errorf("server repeated cursor %q; stopping to avoid an endless loop", cursor)}
		}
		usedCursors[cursor] = true
		query.Set("starting_after", cursor)
	}
}

func dialinConfigIDPath(doing, id string) (string, error) {
	if id == "" {
		return "", fmt.Errorf("daily: %s a dial-in config needs its id", doing)
	}
	return dialinConfigPath + "/" + url.PathEscape(id), nil
}

// checkConfigFields refuses a body that is not a JSON object or that names
// the type, which is fixed at create and sent by CreateDialinConfig itself.
func checkConfigFields(fields json.RawMessage) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(fields, &m); err != nil || m == nil {
		return errors.New("daily: dial-in config fields must be a JSON object")
	}
	if _, ok := m["type"]; ok {
		return errors.New(`daily: dial-in config fields must not hold "type"`)
	}
	return nil
}

func (c *Client) doDialinConfig(ctx context.Context, req request) (*DialinConfig, error) {
	var wire dialinConfigWire
	if err := c.do(ctx, req, &wire); err != nil {
		return nil, err
	}
	config, err := wire.toDialinConfig()
	if err != nil {
		return nil, &DecodeError{What: req.method + " " + req.path, Err: err}
	}
	return config, nil
}

type dialinConfigWire struct {
	ID     string                     `json:"id"`
	Type   string                     `json:"type"`
	Config map[string]json.RawMessage `json:"config"`
}

func (w dialinConfigWire) toDialinConfig() (*DialinConfig, error) {
	if w.ID == "" || w.Type == "" {
		return nil, errors.New("a dial-in config without id or type")
	}
	if w.Config == nil {
		return nil, fmt.Errorf("dial-in config %s has no config object", w.ID)
	}
	// Daily answers a SIP-only pinless object with "phone_number": null [doc].
	if raw, ok := w.Config["phone_number"]; ok {
		var number *string
		if err := json.Unmarshal(raw, &number); err != nil {
			return nil, fmt.Errorf("dial-in config %s: phone_number %s is not a string", w.ID, raw)
		}
		if number == nil {
			delete(w.Config, "phone_number")
		}
	}
	return &DialinConfig{ID: w.ID, Type: w.Type, Config: w.Config}, nil
}
