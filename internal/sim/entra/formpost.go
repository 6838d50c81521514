package entra

import (
	"html/template"
	"net/http"
	"net/url"
)

// formPostPage delivers an authorization answer with response_mode=form_post:
// a page whose form posts the fields to the redirect URI (a browser submits
// it by script; a test client reads the hidden inputs).
var formPostPage = template.Must(template.New("form_post").Parse(`<!DOCTYPE html>
<html><head><title>Working...</title></head>
<body onload="document.forms[0].submit()">
<form method="POST" name="hiddenform" action="{{.Action}}">
{{range $k, $v := .Fields}}<input type="hidden" name="{{$k}}" value="{{$v}}"/>
{{end}}<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"/></noscript>
</form>
</body></html>
`))

// writeFormPost renders formPostPage for the redirect URI and fields.
func writeFormPost(w http.ResponseWriter, action string, fields url.Values) {
	flat := make(map[string]string, len(fields))
	for k := range fields {
		flat[k] = fields.Get(k)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.WriteHeader(http.StatusOK)
	_ = formPostPage.Execute(w, struct {
		Action string
		Fields map[string]string
	}{action, flat})
}
