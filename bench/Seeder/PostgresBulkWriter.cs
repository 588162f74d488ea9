using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace PartnerAccounts.Bench.Seeder;

/// <summary>PostgreSQL: one binary COPY per table, each value written as its column's store type from the EF model.</summary>
internal sealed class PostgresBulkWriter(DbContext db, NpgsqlConnection connection) : IBulkWriter
{
    public async Task WriteAsync<T>(IEnumerable<T> rows)
        where T : class
    {
        var map = new TableMap<T>(db);
        // StoreTypeNameBase drops the facets ("character varying", not "character varying(200)"), as Npgsql names types
        var types = map.Columns.Select(c => c.Mapping.StoreTypeNameBase).ToArray();
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {map.QuotedTable} ({map.QuotedColumns}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await importer.StartRowAsync();
            for (var i = 0; i < types.Length; i++)
            {
                if (map.Columns[i].Read(row) is { } value)
                {
                    await importer.WriteAsync(value, types[i]);
                }
                else
                {
                    await importer.WriteNullAsync();
                }
            }
        }

        await importer.CompleteAsync();
    }
}
