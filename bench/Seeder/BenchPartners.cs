using System.Globalization;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.ApiKeys;

namespace PartnerAccounts.Bench.Seeder;

/// <summary>
/// The benchmark's partners, from the domain's own factories. Partner i (0-based) gets the global MPN ID 1000000 + 2i and a
/// headquarters location with 1000000 + 2i + 1, so the known IDs are one contiguous range mixing both kinds:
/// 1000000 .. 1000000 + 2N - 1. Its legal name is "Partner &lt;global ID&gt; Ltd". Each table's rows are generated on their own
/// pass, in foreign-key order, so that PostgreSQL can COPY one table at a time without holding the rows in memory.
/// </summary>
internal sealed class BenchPartners(int partners, DateTime now)
{
    public const int FirstMpnId = 1_000_000;

    private static readonly Address Address = new("1 Main St", null, "Seattle", "WA", "98101", "US");

    public int LastMpnId => FirstMpnId + (2 * partners) - 1;

    /// <summary>Writes every table; the API key (of partner 0's account) is <paramref name="key"/>.</summary>
    public async Task WriteAsync(IBulkWriter writer, GeneratedApiKey key)
    {
        await writer.WriteAsync(Each(i => Account.Create(AccountId(i), GlobalId(i), now)));
        await writer.WriteAsync(Each(i => Location.Create(HeadquartersId(i), AccountId(i), "Headquarters", Address, LocationMpnId(i), now)));
        await writer.WriteAsync(Each(i => new[]
        {
            MpnRegistration.ForAccount(GlobalId(i), AccountId(i)),
            MpnRegistration.ForLocation(LocationMpnId(i), AccountId(i), HeadquartersId(i)),
        }).SelectMany(pair => pair));
        await writer.WriteAsync(Each(i =>
        {
            var contact = new Contact("Pat", "Lee", $"admin@partner{GlobalId(i)}.example", "+1 206 555 0100");
            return LegalBusinessProfile.Create(AccountId(i), $"Partner {GlobalId(i)} Ltd", Address, contact, contact, now);
        }));
        await writer.WriteAsync([ApiKey.Create(SequentialGuid(3, 0), AccountId(0), 1, "benchmark", key, "bench@partneraccounts.example", now)]);
    }

    private static string GlobalId(int i) => (FirstMpnId + (2 * i)).ToString(CultureInfo.InvariantCulture);

    private static string LocationMpnId(int i) => (FirstMpnId + (2 * i) + 1).ToString(CultureInfo.InvariantCulture);

    private static Guid AccountId(int i) => SequentialGuid(1, i);

    private static Guid HeadquartersId(int i) => SequentialGuid(2, i);

    // Ordered ids insert in key order, which keeps bulk loading fast; kind keeps accounts, locations and keys apart.
    private static Guid SequentialGuid(int kind, int i) => new(i, (short)kind, 0x7000, 0x80, 0, 0, 0, 0, 0, 0, 0);

    private IEnumerable<TRow> Each<TRow>(Func<int, TRow> row)
    {
        for (var i = 0; i < partners; i++)
        {
            yield return row(i);
        }
    }
}
