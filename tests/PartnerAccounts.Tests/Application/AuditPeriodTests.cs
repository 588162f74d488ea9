using PartnerAccounts.Application.Audit.ListAuditRecords;

namespace PartnerAccounts.Tests.Application;

public sealed class AuditPeriodTests
{
    private static DateTime Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, DateTimeKind.Utc);

    [Test]
    public void From_WhenBothAreDates_ShouldCoverTheWholeEndDay()
    {
        var period = AuditPeriod.From("2024-05-01", "2024-05-31")!;
        Assert.Multiple(() =>
        {
            Assert.That(period.Start, Is.EqualTo(Utc(2024, 5, 1)));
            Assert.That(period.End, Is.EqualTo(Utc(2024, 6, 1)));
            Assert.That(period.Start.Kind, Is.EqualTo(DateTimeKind.Utc));
            Assert.That(period.End.Kind, Is.EqualTo(DateTimeKind.Utc));
        });
    }

    [Test]
    public void From_WhenEndIsADateTime_ShouldEndExactlyThere()
    {
        var period = AuditPeriod.From("2024-05-01T08:30:00Z", "2024-05-01T17:00:00.25Z")!;
        Assert.Multiple(() =>
        {
            Assert.That(period.Start, Is.EqualTo(Utc(2024, 5, 1, 8, 30)));
            Assert.That(period.End, Is.EqualTo(Utc(2024, 5, 1, 17, 0).AddMilliseconds(250)));
        });
    }

    [TestCase("2024-05-01T10:00:00+02:00", 8)]
    [TestCase("2024-05-01T10:00:00-03:00", 13)]
    [TestCase("2024-05-01T10:00:00", 10)]
    [TestCase("2024-05-01T10:00Z", 10)]
    public void TryParseStart_WhenDateTimeHasAnOffsetOrNone_ShouldReadItAsUtc(string value, int utcHour)
    {
        Assert.That(AuditPeriod.TryParseStart(value, out var start), Is.True);
        Assert.That(start, Is.EqualTo(Utc(2024, 5, 1, utcHour)));
        Assert.That(start.Kind, Is.EqualTo(DateTimeKind.Utc));
    }

    [Test]
    public void From_WhenNeitherIsGiven_ShouldBeUnbounded() =>
        Assert.That(AuditPeriod.From(null, null), Is.EqualTo(AuditPeriod.Unbounded));

    [Test]
    public void TryParseEnd_WhenDateIsTheLastRepresentable_ShouldNotOverflow()
    {
        Assert.That(AuditPeriod.TryParseEnd("9999-12-31", out var end), Is.True);
        Assert.That(end, Is.EqualTo(DateTime.MaxValue));
    }

    [TestCase("")]
    [TestCase("today")]
    [TestCase("2024-5-1")]
    [TestCase("2024-02-30")]
    [TestCase("05/01/2024")]
    [TestCase("2024-05-01 10:00:00")]
    [TestCase("2024-05-01T10:00:00 02:00")]
    [TestCase("0001-01-01T00:00:00+01:00")]
    [TestCase("9999-12-31T23:00:00-05:00")]
    public void TryParseStart_WhenMalformedOrOutOfRange_ShouldRefuse(string value)
    {
        Assert.That(AuditPeriod.TryParseStart(value, out _), Is.False);
        Assert.That(AuditPeriod.From(value, null), Is.Null);
    }

    [Test]
    public void Key_WhenTheSameInstantIsWrittenDifferently_ShouldBeTheSame() =>
        Assert.That(AuditPeriod.From("2024-05-01", null)!.Key, Is.EqualTo(AuditPeriod.From("2024-05-01T00:00:00Z", null)!.Key));
}
