"""What a page shows a person, for the checks that it is all Chinese (issue 10)."""

import re

# Words the pages may show as they are: file formats and codes people use in Chinese text too.
NOT_ENGLISH_UI = {"xlsx", "DBF", "dbf", "PDF", "JPG", "PNG", "API"}
# The visible text of the page without the icon font's ligatures (material symbols are words like "home").
VISIBLE_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('.material-symbols-outlined, script, style, template, [x-cloak]').forEach(e => e.remove());
  copy.style.position = 'absolute';
  document.documentElement.appendChild(copy);
  const text = copy.innerText;
  copy.remove();
  return text;
}"""


def english_words(text: str) -> list[str]:
    """Runs of Latin letters in the text that are words, not file formats, codes or web addresses."""
    text = re.sub(r"(?:https?://|www\.)[\w./-]+", "", text)
    words = re.findall(r"[A-Za-z][A-Za-z' ]{2,}[A-Za-z]", text)
    return sorted({w.strip() for w in words if w.strip() not in NOT_ENGLISH_UI})
