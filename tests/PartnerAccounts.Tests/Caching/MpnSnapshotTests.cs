using PartnerAccounts.Application.MpnVerification;
using PartnerAccounts.Infrastructure.MpnVerification;

namespace PartnerAccounts.Tests.Caching;

public sealed class MpnSnapshotTests
{
    [Test]
    public void TryFind_InACopyOfManyIds_ShouldFindEachWithItsAccountAndNoNeighbour()
    {
        // Consecutive IDs, IDs of every length with leading zeros, and a thousand accounts of twenty IDs each: every slot
        // chain of the table is exercised, including those that wrap around its end.
        var accounts = Enumerable.Range(0, 1000).Select(i => (Id: Guid.NewGuid(), Name: $"Partner {i} Ltd")).ToArray();
        var rows = new Dictionary<string, MpnRow>();
        for (var i = 0; i < 20_000; i++)
        {
            var (id, name) = accounts[i % accounts.Length];
            var mpnId = i % 3 == 0 ? (4_000_000 + (2 * i)).ToString() : i.ToString().PadLeft(1 + (i % 10), '0');
            rows[mpnId] = new MpnRow(id, IsCurrent: i % 7 != 0, IsActive: true, name);
        }

        var copy = MpnSnapshot.FromRows(rows.ToList(), generation: 0);

        Assert.That(copy.Count, Is.EqualTo(rows.Count));
        var wrong = rows.Where(row => !copy.TryFind(MpnDirectory.KeyOf(row.Key)!.Value, out var account, out var name)
            || account != row.Value.AccountId || name != (row.Value.IsCurrent ? row.Value.PartnerName : null)).Select(row => row.Key).ToList();
        Assert.That(wrong, Is.Empty, "registered IDs answered wrongly");
        var unknown = Enumerable.Range(0, 20_000).Select(i => (4_000_001 + (2 * i)).ToString()).Concat(["0", "00000000000", "9999999999"])
            .Where(id => !rows.ContainsKey(id) && MpnDirectory.KeyOf(id) is not null)
            .Where(id => copy.TryFind(MpnDirectory.KeyOf(id)!.Value, out _, out _)).ToList();
        Assert.That(unknown, Is.Empty, "unregistered IDs found");
    }

    [Test]
    public void TryFind_ForAClosedAccountOrOneWithoutAName_ShouldFindTheIdWithoutAName()
    {
        var (closed, nameless, open) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var copy = MpnSnapshot.FromRows(
        [
            new("1000001", new MpnRow(closed, IsCurrent: true, IsActive: false, "Closed Ltd")),
            new("1000002", new MpnRow(nameless, IsCurrent: true, IsActive: true, null)),
            new("1000003", new MpnRow(open, IsCurrent: true, IsActive: true, "Open Ltd")),
        ], generation: 0);

        Assert.Multiple(() =>
        {
            Assert.That(copy.TryFind(MpnDirectory.KeyOf("1000001")!.Value, out var account, out var name) && account == closed && name is null, Is.True);
            Assert.That(copy.TryFind(MpnDirectory.KeyOf("1000002")!.Value, out account, out name) && account == nameless && name is null, Is.True);
            Assert.That(copy.TryFind(MpnDirectory.KeyOf("1000003")!.Value, out account, out name) ? name : "(none)", Is.EqualTo("Open Ltd"));
        });
    }
}
