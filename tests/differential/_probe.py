"""Shared by the differential scripts: one line per probe, `label -> result`
or `label -> EXC Class message`, with addresses masked so that runs compare.
Not a script itself (the harness skips names starting with `_`)."""

import re


def norm(text):
    # %p prints lowercase hex; uppercase hex (as in "0xFFFF") is message text.
    return re.sub(r"0x[0-9a-f]+", "0xADDR", text)


def show(label, func):
    try:
        text = ascii(func())
    except Exception as e:
        print(label, "-> EXC", type(e).__name__, norm(ascii(str(e))[1:-1]))
    else:
        print(label, "->", norm(text))
