package usertext_test

import (
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/store/storetest"
	"github.com/lantoa/lantoa/usertext"
)

// TestKeysAreAcceptedByTheStore writes every kind of name the store refuses
// raw (NUL, dots, dollars, white space at either end, control characters,
// empty) as escaped field names of a dotted $inc path, and reads each back.
func TestKeysAreAcceptedByTheStore(t *testing.T) {
	t.Parallel()
	c := storetest.DB(t).Collection("keys")
	ctx := context.Background()
	names := []string{"", "Thôn Đông", "a.b", "$x", " lead", "trail ", "\u3000x", "x\u00a0", "a\x00b", "\t", "\n",
		"\x01", "\u0085", "\u2028", "100%", "x$y", "."}
	if _, err := c.InsertOne(ctx, bson.M{"_id": "d"}); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if _, err := c.UpdateOne(ctx, bson.M{"_id": "d"}, bson.M{"$inc": bson.M{"v." + usertext.Key(n) + ".m": 1}}); err != nil {
			t.Errorf("name %q (key %q) refused: %v", n, usertext.Key(n), err)
		}
	}
	var doc struct {
		V map[string]map[string]int64 `bson:"v"`
	}
	if err := c.FindOne(ctx, bson.M{"_id": "d"}).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for k := range doc.V {
		got[usertext.Unkey(k)] = true
	}
	for _, n := range names {
		if !got[n] {
			t.Errorf("name %q did not come back", n)
		}
	}
}
