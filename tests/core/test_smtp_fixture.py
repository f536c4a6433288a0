from django.core.mail import send_mail

from tests.fixtures.smtp import MailSink


def test_mail_reaches_loopback_smtp_server(smtp_server: MailSink) -> None:
    send_mail("Hello", "Body text", "from@example.com", ["reader@example.com"])
    [received] = smtp_server.wait_for("reader@example.com")
    assert received.subject == "Hello"
    assert "Body text" in received.body()
