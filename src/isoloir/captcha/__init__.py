"""The CAPTCHA of the forms open to people who are not logged in (or not yet trusted): the
code de vote, the claim and the helpdesk request without an account.

Built on django-simple-captcha, whose app label is ``captcha``: this app's is
``isoloir_captcha``, and ``import captcha`` (absolute, as every import) always names the
library.
"""
