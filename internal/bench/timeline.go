package bench

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Timeline breaks the waves of one phase of a kept run down into their parts,
// from the provider's log (-tf-log provider:trace, which has terraform-plugin-go's
// "Received request" and "Served request" lines with the provider's own
// timestamps) and the emulator's request log. A wave is the set of calls of
// rpc (ApplyResourceChange or ReadResource) answered by one round of the
// dial-in engine: a GET, for writes a POST and a confirming GET. For each
// wave it measures, in order:
//
//   - spread: first call received → last call received (Terraform starting calls),
//   - window: last call received → the round's GET (the batch window),
//   - get, post, confirm: the requests, as the emulator saw them,
//   - mutate: GET answered → POST (the provider's work on the array),
//   - verify: POST answered → confirming GET (the verify delay),
//   - answer: last request answered → last call served,
//   - terraform: last call served → the next call received (Terraform gets
//     its slots back when a wave is served).
//
// The parts add up to a wave's latency; the cycle (first call of a wave to
// the first of the next) is shorter when waves overlap, as they do when a
// burst of calls is split over two batches.
func Timeline(dir, phase, rpc string) (string, error) {
	calls, err := readCalls(filepath.Join(dir, "terraform-"+phase+".log"), rpc)
	if err != nil {
		return "", err
	}
	reqs, err := readRequests(filepath.Join(dir, "requests-"+phase+".tsv"))
	if err != nil {
		return "", err
	}
	if len(calls) == 0 || len(reqs) == 0 {
		return "", fmt.Errorf("%s: no %s calls or no requests logged (run with -tf-log provider:trace)", phase, rpc)
	}
	// A round starts with a GET; a write round has a POST and a confirming GET.
	var rounds []round
	for i := 0; i < len(reqs); i++ {
		r := round{get: reqs[i]}
		if reqs[i].method != "GET" {
			continue
		}
		if i+2 < len(reqs) && reqs[i+1].method == "POST" && reqs[i+2].method == "GET" {
			r.post, r.confirm = &reqs[i+1], &reqs[i+2]
			i += 2
		}
		rounds = append(rounds, r)
	}
	// A call joins the first round whose GET starts after it was received.
	waves := make([][]call, len(rounds))
	for _, c := range calls {
		i := slices.IndexFunc(rounds, func(r round) bool { return r.get.start.After(c.received) })
		if i >= 0 {
			waves[i] = append(waves[i], c)
		}
	}
	parts := []string{"spread", "window", "get", "mutate", "post", "verify", "confirm", "answer", "terraform"}
	samples := map[string][]time.Duration{}
	var cycles []time.Duration
	for i, r := range rounds {
		w := waves[i]
		if len(w) == 0 {
			continue
		}
		first, last, served := w[0].received, w[0].received, w[0].served
		for _, c := range w {
			first, last = minTime(first, c.received), maxTime(last, c.received)
			served = maxTime(served, c.served)
		}
		add := func(part string, from, to time.Time) { samples[part] = append(samples[part], to.Sub(from)) }
		add("spread", first, last)
		add("window", last, r.get.start)
		add("get", r.get.start, r.get.end)
		lastEnd := r.get.end
		if r.post != nil {
			add("mutate", r.get.end, r.post.start)
			add("post", r.post.start, r.post.end)
			add("verify", r.post.end, r.confirm.start)
			add("confirm", r.confirm.start, r.confirm.end)
			lastEnd = r.confirm.end
		}
		add("answer", lastEnd, served)
		// Terraform's part: from the wave's calls being served to the next call
		// it starts (its slots come back when a wave is served).
		if j, ok := slices.BinarySearchFunc(calls, served, func(c call, t time.Time) int { return c.received.Compare(t) }); ok || j < len(calls) {
			add("terraform", served, calls[j].received)
		}
		if i+1 < len(rounds) && len(waves[i+1]) > 0 {
			next := waves[i+1][0].received
			for _, c := range waves[i+1] {
				next = minTime(next, c.received)
			}
			cycles = append(cycles, next.Sub(first))
		}
	}
	nonEmpty := 0
	for _, w := range waves {
		if len(w) > 0 {
			nonEmpty++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d %s calls in %d waves (rounds of the dial-in engine), %d requests; median and mean per wave:\n\n", phase, len(calls), rpc, nonEmpty, len(reqs))
	b.WriteString("| part | median | mean | share of the summed means |\n|---|--:|--:|--:|\n")
	var total time.Duration
	for _, p := range parts {
		total += mean(samples[p])
	}
	for _, p := range parts {
		s := samples[p]
		if len(s) == 0 {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %.0f %% |\n", p, msText(median(s)), msText(mean(s)), 100*float64(mean(s))/float64(max(total, 1)))
	}
	fmt.Fprintf(&b, "| **sum** (a wave's latency, Terraform's part after it included) | | %s | |\n", msText(total))
	fmt.Fprintf(&b, "| **cycle** (first call of a wave → first of the next) | %s | %s | |\n", msText(median(cycles)), msText(mean(cycles)))
	return b.String(), nil
}

type call struct{ received, served time.Time }

type round struct {
	get           loggedRequest
	post, confirm *loggedRequest
}

var (
	logTimestamp = regexp.MustCompile(`\btimestamp=(\S+)`)
	logReqID     = regexp.MustCompile(`\btf_req_id=(\S+)`)
)

// readCalls returns the calls of rpc in the provider's log, by time received.
func readCalls(path, rpc string) ([]call, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	byID := map[string]*call{}
	var order []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		line := sc.Text()
		received := strings.Contains(line, "Received request:")
		if !received && !strings.Contains(line, "Served request:") || !strings.Contains(line, "tf_rpc="+rpc+" ") && !strings.HasSuffix(line, "tf_rpc="+rpc) {
			continue
		}
		ts, id := logTimestamp.FindStringSubmatch(line), logReqID.FindStringSubmatch(line)
		if ts == nil || id == nil {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, ts[1])
		if err != nil {
			continue
		}
		c := byID[id[1]]
		if c == nil {
			c = &call{}
			byID[id[1]] = c
			order = append(order, id[1])
		}
		if received {
			c.received = t
		} else {
			c.served = t
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	var calls []call
	for _, id := range order {
		if c := byID[id]; !c.received.IsZero() && !c.served.IsZero() {
			calls = append(calls, *c)
		}
	}
	slices.SortFunc(calls, func(a, b call) int { return a.received.Compare(b.received) })
	return calls, nil
}

// readRequests reads a log written by requestLog.write, by arrival.
func readRequests(path string) ([]loggedRequest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var reqs []loggedRequest
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Split(line, "\t")
		if i == 0 {
			continue
		}
		if len(f) != 6 {
			return nil, errors.New(path + ": malformed line " + strconv.Itoa(i+1))
		}
		start, err1 := time.Parse(time.RFC3339Nano, f[0])
		from, err2 := strconv.ParseFloat(f[1], 64)
		to, err3 := strconv.ParseFloat(f[2], 64)
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, i+1, err)
		}
		if f[4] != "/v1/" && f[4] != "/v1" {
			continue // only the domain endpoint
		}
		status, _ := strconv.Atoi(f[5])
		reqs = append(reqs, loggedRequest{start: start, end: start.Add(time.Duration((to - from) * float64(time.Millisecond))), method: f[3], path: f[4], status: status})
	}
	slices.SortFunc(reqs, func(a, b loggedRequest) int { return a.start.Compare(b.start) })
	return reqs, nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(d))
	return s[len(s)/2]
}

func mean(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	return sum / time.Duration(len(d))
}

func msText(d time.Duration) string { return fmt.Sprintf("%d ms", d.Milliseconds()) }
