package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// APIError is an error answer from Daily: the HTTP status plus Daily's error
// type and info, from either the standard body or the vendor 422 shape.
type APIError struct {
	Method     string
	Path       string
	StatusCode int
	Type       string
	Info       string
}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("daily: %s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if e.Type != "" {
		msg += " " + e.Type
	}
	if e.Info != "" {
		msg += ": " + e.Info
	}
	return msg
}

// DecodeError means Daily answered 2xx with a body this client cannot read.
type DecodeError struct {
	What string
	Err  error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("daily: unexpected response for %s: %v", e.What, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// IsNotFound reports whether err is a 404 from Daily.
func IsNotFound(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound
}

// IsRetryable reports whether a failed request may succeed when sent again:
// rate limiting, server errors and transport failures. A transport failure
// after a request was sent may mean it was applied, so callers of
// non-idempotent endpoints must reconcile instead of retrying. The caller's
// own cancellation or deadline is final; a timed-out attempt is not.
func IsRetryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode == http.StatusTooManyRequests || apiErr.StatusCode >= 500
	}
	var decodeErr *DecodeError
	return !errors.As(err, &decodeErr)
}
