package provider

import (
	"fmt"
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	if os.Getenv("TF_ACC") != "" {
		cleanup, err := setUpCLIEnvironment()
		defer cleanup()
		if err != nil {
			fmt.Fprintln(os.Stderr, "preparing the environment of the terraform CLI:", err)
			return 1
		}
	}
	code := m.Run()
	reportLiveBuys(os.Stdout)
	return code
}
