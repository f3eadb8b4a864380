package main

import "testing"

func TestCheckPublicURL(t *testing.T) {
	for s, ok := range map[string]bool{
		"": true, "https://pj.example.gov.cn": true, "http://10.0.0.5:8080": true, "https://x.cn/wenming": true,
		"pj.example.gov.cn": false, "ftp://x.cn": false, "https://": false, "https://x.cn/?a=1": false, "https://x.cn/#f": false,
	} {
		if err := checkPublicURL(s); (err == nil) != ok {
			t.Errorf("%q: %v, want ok=%v", s, err, ok)
		}
	}
}
