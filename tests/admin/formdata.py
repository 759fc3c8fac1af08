"""Read a rendered form the way a browser submits it: every input, textarea and select with its value."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self._textarea = None
        self._select = None
        self._select_first = None
        self._option_value = None
        self._multiple = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (self.form_id is None or a.get("id") == self.form_id):
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select, self._select_first = name, None
            self._multiple = "multiple" in a  # a browser sends nothing for a multiple select with nothing chosen
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self.data.setdefault(self._select, []).append(value)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            if self._select not in self.data and self._select_first is not None and not self._multiple:
                self.data[self._select] = [self._select_first]
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            value = self.data[self._textarea][-1] + data
            self.data[self._textarea][-1] = value.removeprefix("\n") if value.startswith("\n") else value


def form_data(response, form_id="agreementrecord_form") -> dict:
    parser = _FormParser(form_id)
    parser.feed(response.content.decode())
    return {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}


def clause_prefix(data, eid) -> str:
    for key, value in data.items():
        if key.startswith("clauses-") and key.endswith("-eid") and value == eid:
            return key.removesuffix("-eid")
    raise KeyError(eid)
