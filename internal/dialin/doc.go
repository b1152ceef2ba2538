// Package dialin applies per-route changes to the domain's dial-in arrays
// (pinless_dialin, pin_dialin), which Daily only accepts whole. It serializes
// and batches concurrent changes, re-sends every untouched entry exactly as
// Daily returned it, and confirms each change by reading the result back.
//
// One Engine serves one provider configuration for one Terraform walk. A
// change goes from a caller (Create, Put, Delete, ReplaceAll) to the batcher,
// which gathers concurrent changes (gather.go) and hands each batch to
// runBatch. runBatch applies it in rounds (round.go) of one GET and one POST
// until every change is confirmed or has failed; a batch's first read may be
// sent before the batch closes, while its last calls are still coming
// (batcher.go). Each round's read also confirms earlier writes (confirm.go).
// Reads share Daily's last answer (reads.go). See DESIGN.md at the
// repository root for the whole picture.
package dialin
