"""E-mail backends that fail as real servers do, for settings.EMAIL_BACKEND in tests."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class RechazaAlgunos(EmailBackend):
    """Django's locmem backend whose server refuses some recipients, as an SMTP server
    answers RCPT TO: a message to an address containing «falla» raises."""

    def send_messages(self, messages):
        for mensaje in messages:
            if any("falla" in destino for destino in mensaje.to):
                raise smtplib.SMTPRecipientsRefused(
                    {mensaje.to[0]: (550, b"5.1.1 Mailbox unavailable")}
                )
        return super().send_messages(messages)


class ServidorCaido(EmailBackend):
    """A server that does not answer: opening the connection fails."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")
