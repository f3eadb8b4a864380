package main

import (
	"errors"
	"net/url"
)

// checkPublicURL accepts "" (not configured) or an absolute http(s) URL
// without query or fragment: it is printed inside every QR code, so a
// typo would go to the printer.
func checkPublicURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return errors.New("want an absolute http:// or https:// address without query, e.g. https://pj.example.gov.cn")
	}
	return nil
}
