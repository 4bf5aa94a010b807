package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/store"
)

// TestDemoRefusesADatabaseWithData: the demo fills only a fresh data folder.
func TestDemoRefusesADatabaseWithData(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st, err := store.Open(context.Background(), store.Options{DataDir: dir, Database: "lantoa", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB.Collection("campaigns").InsertOne(context.Background(), bson.M{"_id": "x"}); err != nil {
		t.Fatal(err)
	}
	st.Close(context.Background())
	var out, errOut bytes.Buffer
	err = run([]string{"demo", "--data", dir}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("demo on a database with data: %v", err)
	}
}
