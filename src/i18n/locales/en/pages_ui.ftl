# Error pages and other shared page texts.
error-heading-not-found = Page not found
error-heading-forbidden = Not for your role
error-next-not-found = The address may be mistyped, or what it named was renamed. Start again from the home page or the menu.
error-next-forbidden = Your roles do not allow this. Ask a quality manager if you need it.
error-next-reload = Go back, reload the page and send the form again.
error-next-wait = Wait a moment and try again.
error-next-fault = Nothing was saved by this request. Try again; if it happens again, tell your administrator the time it happened.
error-next-back = Go back and check what you entered.
processes-people = People in the process
docs-sign-what = What you sign: revision { $rev }
docs-sign-what-redline = What you sign: the changes from revision { $from } to { $to }
docs-reject-instead = Reject the revision instead
