package batch

import (
	"strings"
	"testing"

	"asynclab/catalog"
)

func TestTextsComplete(t *testing.T) {
	if m := Texts().Missing(); len(m) > 0 {
		t.Errorf("batch's texts are not in every language:\n%s", strings.Join(m, "\n"))
	}
}

// TestInRussian: the feedback and the report follow the language, the
// grades do not change.
func TestInRussian(t *testing.T) {
	class := reportClass()
	var fb strings.Builder
	for _, r := range class {
		fb.Write(Feedback(fakeExercises, r, catalog.Russian))
	}
	page, err := reportHTML(fakeExercises, class, nil, nil, catalog.Russian)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		what, text string
		want, not  []string
	}{
		{"feedback", fb.String(), []string{"# Отзыв для", "**Итого: ", "| упражнение | состояние | баллы |"}, []string{"Feedback for", "Total:", "Hint:"}},
		{"report", string(page), []string{`<html lang="ru">`, "Отчёт по группе", "Доля прошедших каждую проверку", "средний балл"}, []string{"Class report", "Pass rate", "average score"}},
	} {
		for _, w := range tt.want {
			if !strings.Contains(tt.text, w) {
				t.Errorf("the Russian %s lacks %q", tt.what, w)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(tt.text, n) {
				t.Errorf("the Russian %s has English %q", tt.what, n)
			}
		}
	}
}
