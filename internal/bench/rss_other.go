//go:build !linux

package bench

// rssWatcher reads /proc, which only Linux has: elsewhere peak memory is 0.
type rssWatcher struct{}

func watchRSS(string) *rssWatcher { return &rssWatcher{} }

func (*rssWatcher) stop() int64 { return 0 }
