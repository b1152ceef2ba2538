package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

// The provider's client and the emulator agree on the per-object API.
func TestConfigThroughTheClient(t *testing.T) {
	eachStore(t, func(t *testing.T, store DialinStore) {
		e := New(Options{DialinStore: store})
		base := e.StartServer()
		defer e.Close()
		c, err := client.New(client.Config{BaseURL: base, APIKey: e.APIKey()})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		for i := range 250 {
			n := fmt.Sprintf("+1415555%04d", i)
			e.SeedPurchased(n, e.Now())
			if _, err := c.CreateDialinConfig(ctx, client.DialinConfigPin, json.RawMessage(`{"phone_number":"`+n+`"}`)); err != nil {
				t.Fatal(err)
			}
		}
		sip, err := c.CreateDialinConfig(ctx, client.DialinConfigPinless, json.RawMessage(`{"name_prefix":"pbx","room_creation_api":"https://h.example/s"}`))
		if err != nil || sip.PhoneNumber() != "" {
			t.Fatalf("SIP-only: %+v %v", sip, err)
		}
		all, err := c.ListDialinConfigs(ctx, client.DialinConfigFilter{})
		if err != nil || len(all) != 251 || all[0].ID != sip.ID || e.Count("GET /domain-dialin-config") != 3 {
			t.Fatalf("listed %d, %v, in %d requests", len(all), err, e.Count("GET /domain-dialin-config"))
		}
		pins, err := c.ListDialinConfigs(ctx, client.DialinConfigFilter{Type: client.DialinConfigPin, PhoneNumbers: []string{"+14155550007", "555001"}})
		if err != nil || len(pins) != 1+10 {
			t.Fatalf("filtered %d, %v", len(pins), err)
		}
		secret, _ := sip.Text("hmac")
		updated, err := c.UpdateDialinConfig(ctx, sip.ID, json.RawMessage(`{"room_creation_api":"https://h.example/v2","name_prefix":"pbx","hold_music_url":null,"timeout_config":null,"hmac":"`+secret+`"}`))
		if h, _ := updated.Text("hmac"); err != nil || h != secret || string(updated.Config["sip_uri"]) != string(sip.Config["sip_uri"]) {
			t.Fatalf("updated %+v, %v", updated, err)
		}
		if err := c.DeleteDialinConfig(ctx, sip.ID); err != nil {
			t.Fatal(err)
		}
		if err := c.DeleteDialinConfig(ctx, sip.ID); !client.IsNotFound(err) {
			t.Fatalf("second delete: %v", err)
		}
		if _, err := c.GetDialinConfig(ctx, sip.ID); !client.IsNotFound(err) {
			t.Fatalf("get after delete: %v", err)
		}
	})
}
