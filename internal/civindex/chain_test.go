package civindex

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// The link hash is SHA-256 over the bytes docs/supervision.md spells out;
// this writes them out literally for one small revision, so a
// re-implementation can check itself against the same example.
func TestChainHashCoversTheDocumentedBytes(t *testing.T) {
	c := ChainContent{
		RoundID: "r1", InspectionID: "i1", SiteID: "s1", Inspector: "张三", InspectorKeyID: "k1",
		VisitTime: 1767225600000000, Revision: 1, Results: `[{"item_id":"A1","met":true,"points":10}]`,
		Notes: "", Evidence: "[]", Reason: "", Author: "张三", AuthorKeyID: "k1", CreateTime: 1767225600000001,
	}
	text := "wenming-chain-v1\n" +
		"prev:64:" + GenesisHash + "\n" +
		"seq:1:1\n" +
		"round:2:r1\n" +
		"inspection:2:i1\n" +
		"site:2:s1\n" +
		"inspector:6:张三\n" + // two characters, three UTF-8 bytes each
		"inspector_key_id:2:k1\n" +
		"visit_time:16:1767225600000000\n" +
		"revision:1:1\n" +
		`results:41:[{"item_id":"A1","met":true,"points":10}]` + "\n" +
		"notes:0:\n" +
		"evidence:2:[]\n" +
		"reason:0:\n" +
		"author:6:张三\n" +
		"author_key_id:2:k1\n" +
		"create_time:16:1767225600000001\n"
	sum := sha256.Sum256([]byte(text))
	if got, want := ChainHash(GenesisHash, 1, c), hex.EncodeToString(sum[:]); got != want {
		t.Fatalf("ChainHash = %s, want %s", got, want)
	}
	// The same bytes hashed by Python's hashlib (docs/supervision.md).
	if got := ChainHash(GenesisHash, 1, c); got != "2ed06c34c2318882e8b10582e87ef4b7a3c7f202503a514efb113b936f463fa4" {
		t.Errorf("ChainHash = %s, want the documented example", got)
	}
	// Any field changes the hash, and so does the previous hash.
	d := c
	d.Notes = " "
	if ChainHash(GenesisHash, 1, d) == ChainHash(GenesisHash, 1, c) {
		t.Error("a changed note kept the hash")
	}
	if ChainHash(ChainHash(GenesisHash, 1, c), 1, c) == ChainHash(GenesisHash, 1, c) {
		t.Error("a changed previous hash kept the hash")
	}
}
