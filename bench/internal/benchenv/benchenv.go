// Package benchenv holds what the bench harnesses (loadrun, the fault
// runs) need from the machine they run on: the module's directory and free
// loopback ports for the servers they start.
package benchenv

import (
	"errors"
	"net"
	"os"
	"path/filepath"
)

// ModuleRoot finds the directory holding go.mod from the working
// directory up.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run from inside the wenming module (no go.mod found)")
		}
		dir = parent
	}
}

// FreeAddr returns a loopback address with a port free right now.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
