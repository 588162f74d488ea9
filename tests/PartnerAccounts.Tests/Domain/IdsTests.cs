using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Tests.Domain;

public sealed class IdsTests
{
    [Test]
    public void NewVersion7_ShouldBeAVersion7UuidOfTheRfc9562Variant()
    {
        var id = Ids.NewVersion7();
        Assert.Multiple(() =>
        {
            Assert.That(id.Version, Is.EqualTo(7));
            Assert.That(id.Variant & 0b1100, Is.EqualTo(0b1000));
        });
    }

    [Test]
    public void NewVersion7_ShouldCarryTheUnixTimeInMillisecondsInItsFirst48Bits()
    {
        var at = new DateTimeOffset(2026, 12, 2, 6, 45, 12, 345, TimeSpan.Zero);
        var text = Ids.NewVersion7(at).ToString("N");
        Assert.That(Convert.ToInt64(text[..12], 16), Is.EqualTo(at.ToUnixTimeMilliseconds()));
    }

    [Test]
    public void NewVersion7_ShouldSortByTimeAndDifferWithinAMillisecond()
    {
        var at = DateTimeOffset.UtcNow;
        var earlier = Ids.NewVersion7(at);
        var later = Ids.NewVersion7(at.AddMilliseconds(1));
        var same = Enumerable.Range(0, 1000).Select(_ => Ids.NewVersion7(at)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(string.CompareOrdinal(earlier.ToString(), later.ToString()), Is.LessThan(0));
            Assert.That(earlier.CompareTo(later), Is.LessThan(0));
            Assert.That(same, Is.Unique);
        });
    }
}
