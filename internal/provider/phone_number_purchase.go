package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/daily-tf/terraform-provider-daily/internal/client"
)

const (
	maxBuyAttempts   = 3
	firstBuyBackoff  = time.Second
	reconcileTimeout = 2 * time.Minute
)

// purchase buys number, or a random number when number is "".
//
// Daily's buy is not idempotent and the client does not retry it, so a failed
// buy may still have happened. purchase never leaks a number: it snapshots
// what the domain owns first, and after a failure that may have reached Daily
// it lists again. One new number is adopted; none means nothing was bought and
// the buy is tried again; several are reported for the user to import.
// Callers hold providerData.buyMu so that no other buy of this provider
// instance adds numbers in between.
//
// An error means that nothing was bought, or that what was cannot be told
// (the message says what to import). Otherwise the number is bought, even
// when it could not be read back (see purchaseResult).
func purchase(ctx context.Context, c *client.Client, number string) (purchaseResult, error) {
	before, err := c.ListPurchasedNumbers(ctx, client.PurchasedFilter{Number: number})
	if err != nil {
		return purchaseResult{}, fmt.Errorf("listing purchased numbers before buying: %w", err)
	}
	known := make(map[string]bool, len(before))
	for _, n := range before {
		if n.Number == number {
			return purchaseResult{}, fmt.Errorf("%s is already owned by this Daily domain (id %s): import it with `terraform import` instead of buying it", number, n.ID)
		}
		known[n.ID] = true
	}

	delay := firstBuyBackoff
	for attempt := 1; ; attempt++ {
		bought, buyErr := c.BuyPhoneNumber(ctx, number)
		if buyErr == nil {
			return readBought(ctx, c, bought), nil
		}
		if !client.IsRetryable(buyErr) && !errors.Is(buyErr, context.DeadlineExceeded) {
			return purchaseResult{}, buyErr
		}
		adopted, err := reconcileBuy(ctx, c, number, known)
		if err != nil {
			return purchaseResult{}, err
		}
		if adopted != nil {
			return purchaseResult{number: adopted}, nil
		}
		if attempt == maxBuyAttempts {
			return purchaseResult{}, fmt.Errorf("buying failed %d times and Daily lists no new number, so nothing was bought: %w", attempt, buyErr)
		}
		tflog.Warn(ctx, "phone number buy failed before reaching Daily; trying again", map[string]any{
			"attempt": attempt, "error": buyErr.Error(), "number": number,
		})
		select {
		case <-ctx.Done():
			return purchaseResult{}, fmt.Errorf("buying was interrupted; nothing was bought: %w", buyErr)
		case <-time.After(delay):
		}
		delay *= 2
	}
}

// reconcileBuy finds the number a failed buy may have bought: nil when none
// was. It runs even when ctx was cancelled, since a bought number must be found.
func reconcileBuy(ctx context.Context, c *client.Client, number string, known map[string]bool) (*client.PurchasedNumber, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), reconcileTimeout)
	defer cancel()
	after, err := c.ListPurchasedNumbers(ctx, client.PurchasedFilter{Number: number})
	if err != nil {
		return nil, fmt.Errorf("a buy failed in a way that may have reached Daily, and listing purchased numbers to check also failed (%w): look for a new number in the domain and import it", err)
	}
	var fresh []client.PurchasedNumber
	for _, n := range after {
		if !known[n.ID] && (number == "" || n.Number == number) {
			fresh = append(fresh, n)
		}
	}
	switch len(fresh) {
	case 0:
		return nil, nil
	case 1:
		tflog.Info(ctx, "phone number buy failed but went through; adopting the number", map[string]any{"id": fresh[0].ID, "number": fresh[0].Number})
		return &fresh[0], nil
	}
	var names []string
	for _, n := range fresh {
		names = append(names, fmt.Sprintf("%s (id %s)", n.Number, n.ID))
	}
	return nil, fmt.Errorf("a buy failed in a way that may have reached Daily, and several numbers appeared meanwhile: %s. "+
		"Import the one this resource should manage with `terraform import`, and release or import the others", strings.Join(names, ", "))
}

// purchaseResult is a number that purchase bought.
type purchaseResult struct {
	// number has every attribute Daily lists, or only ID and Number when it
	// could not be read back.
	number *client.PurchasedNumber
	// unread says why the number could not be read back; nil when it was.
	unread error
}

// readBought fetches every attribute of a number just bought.
func readBought(ctx context.Context, c *client.Client, bought *client.BoughtNumber) purchaseResult {
	partial := &client.PurchasedNumber{ID: bought.ID, Number: bought.Number}
	found, err := findPurchased(ctx, c, bought.ID, bought.Number)
	if err != nil {
		return purchaseResult{number: partial, unread: fmt.Errorf("bought %s (id %s) but could not read it back: %w", bought.Number, bought.ID, err)}
	}
	if found == nil {
		return purchaseResult{number: partial, unread: fmt.Errorf("bought %s (id %s) but Daily does not list it among the purchased numbers", bought.Number, bought.ID)}
	}
	return purchaseResult{number: found}
}

// findPurchased returns the purchased number with this id, or nil when the
// domain does not own it. number narrows the search when known; the full list
// is the fallback, so a stale number never hides the id.
func findPurchased(ctx context.Context, c *client.Client, id, number string) (*client.PurchasedNumber, error) {
	filters := []client.PurchasedFilter{{}}
	if number != "" {
		filters = []client.PurchasedFilter{{Number: number}, {}}
	}
	for _, filter := range filters {
		numbers, err := c.ListPurchasedNumbers(ctx, filter)
		if err != nil {
			return nil, err
		}
		for i := range numbers {
			if numbers[i].ID == id {
				return &numbers[i], nil
			}
		}
	}
	return nil, nil
}
