package facebook_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/lantoa/lantoa/publishers/facebook"
	"github.com/lantoa/lantoa/publishers/publishertest"
)

// TestHangThenReconcileFindsThePost is the crash/timeout mid-send case: the
// platform created the post but the answer never came. Publish must say
// Unknown within the client's timeout, Reconcile must find the post, and
// the dispatcher then has no reason to send a second one.
func TestHangThenReconcileFindsThePost(t *testing.T) {
	t.Parallel()
	for name, images := range map[string]int{"feed": 0, "photo": 1, "album": 2} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, func(c *facebook.Config) { c.HTTP = &http.Client{Timeout: 300 * time.Millisecond} })
			ct := text("Tháng hành động", "Không bạo lực gia đình.")
			for i := range images {
				ct.Images = append(ct.Images, publishertest.PNG(t, fmt.Sprintf("%d.png", i)))
			}
			b.fake.Hang()

			publishertest.WantUnanswered(t, func() error {
				_, err := b.client.Publish(t.Context(), b.delivery(), ct)
				return err
			})
			b.clock.Advance(2 * time.Minute) // the dispatcher reconciles later

			rc, found, err := b.client.Reconcile(t.Context(), b.delivery(), ct)
			if err != nil || !found {
				t.Fatalf("reconcile: found %v, err %v", found, err)
			}
			posts := b.fake.Posts()
			if len(posts) != 1 || rc.ExternalID != posts[0].ID {
				t.Errorf("posts %+v, receipt %+v: want the one hung post", posts, rc)
			}
		})
	}
}

func TestReconcileRequestShape(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	d := b.delivery()

	if _, _, err := b.client.Reconcile(t.Context(), d, text("", "x")); err != nil {
		t.Fatal(err)
	}
	c := b.fake.Calls()[0]
	if c.Method != http.MethodGet || c.Path != "/"+pageID+"/feed" || c.Form.Get("fields") != "id,message,created_time" {
		t.Errorf("call = %+v", c)
	}
	if c.Form.Get("since") != fmt.Sprint(d.DueAt.Add(-time.Hour).Unix()) || c.Form.Get("until") == "" {
		t.Errorf("window since=%s until=%s", c.Form.Get("since"), c.Form.Get("until"))
	}
}

func TestReconcileMatchesExactTextOnly(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	if _, err := b.client.Publish(t.Context(), b.delivery(), text("Tiêu đề", "Nội dung  chính\nxác")); err != nil {
		t.Fatal(err)
	}

	// Decomposed Vietnamese and other white space still match.
	nfd := text(norm.NFD.String("Tiêu đề"), norm.NFD.String("Nội dung chính   xác"))
	if _, found, err := b.client.Reconcile(t.Context(), b.delivery(), nfd); err != nil || !found {
		t.Errorf("NFD variant: found %v, err %v", found, err)
	}
	if _, found, err := b.client.Reconcile(t.Context(), b.delivery(), text("Tiêu đề", "Nội dung khác")); err != nil || found {
		t.Errorf("other text: found %v, err %v", found, err)
	}
}

func TestReconcileIgnoresPostsBeforeTheWindow(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	ct := text("", "Phát thanh hằng tuần")
	if _, err := b.client.Publish(t.Context(), b.delivery(), ct); err != nil {
		t.Fatal(err)
	}
	b.clock.Advance(7 * 24 * time.Hour) // next week's occurrence of the same text

	if _, found, err := b.client.Reconcile(t.Context(), b.delivery(), ct); err != nil || found {
		t.Errorf("last week's post: found %v, err %v", found, err)
	}
}

func TestReconcilePagesThroughTheFeed(t *testing.T) {
	t.Parallel()
	b := setup(t, nil)
	d := b.delivery()
	for i := range 130 {
		if _, err := b.client.Publish(t.Context(), d, text("", fmt.Sprintf("Bài %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	before := len(b.fake.Calls())

	rc, found, err := b.client.Reconcile(t.Context(), d, text("", "Bài 0"))
	if err != nil || !found || rc.ExternalID != b.fake.Posts()[0].ID {
		t.Fatalf("oldest post: found %v, err %v, receipt %+v", found, err, rc)
	}
	calls := b.fake.Calls()[before:]
	if len(calls) != 2 || calls[1].Form.Get("after") == "" {
		t.Errorf("feed reads = %d (second after=%q), want 2 pages by cursor", len(calls), calls[len(calls)-1].Form.Get("after"))
	}
}
