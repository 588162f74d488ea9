namespace PartnerAccounts.Bench.Seeder;

/// <summary>Writes rows of one entity type straight into its table, bypassing EF Core's change tracking.</summary>
internal interface IBulkWriter
{
    Task WriteAsync<T>(IEnumerable<T> rows)
        where T : class;
}
