using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace PartnerAccounts.Bench.Seeder;

/// <summary>
/// How rows of <typeparamref name="T"/> are stored, read from the EF model: the table, and for every mapped column (complex
/// properties included) its name, type mapping and the entity's value converted to what the provider stores. Both bulk writers
/// map rows through it, so the seeded rows are what the service itself would have written on either provider.
/// </summary>
internal sealed class TableMap<T>
    where T : class
{
    public TableMap(DbContext db)
    {
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        Table = table.Name;
        Schema = table.Schema;
        var columns = new List<Column>();

        foreach (var property in entityType.GetProperties())
        {
            var getter = property.GetGetter();
            columns.Add(Column.For(property, table, entity => getter.GetClrValue(entity)));
        }

        foreach (var complex in entityType.GetComplexProperties())
        {
            var complexGetter = complex.GetGetter();
            foreach (var property in complex.ComplexType.GetProperties())
            {
                var getter = property.GetGetter();
                columns.Add(Column.For(property, table, entity => complexGetter.GetClrValue(entity) is { } value ? getter.GetClrValue(value) : null));
            }
        }

        Columns = columns;
    }

    public string Table { get; }

    public string? Schema { get; }

    public IReadOnlyList<Column> Columns { get; }

    /// <summary>The quoted table and column list, as both INSERT and COPY name them.</summary>
    public string QuotedTable => Schema is null ? Quote(Table) : $"{Quote(Schema)}.{Quote(Table)}";

    public string QuotedColumns => string.Join(", ", Columns.Select(c => Quote(c.Name)));

    private static string Quote(string identifier) => '"' + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + '"';

    internal sealed record Column(string Name, RelationalTypeMapping Mapping, bool IsNullable, Func<T, object?> Read)
    {
        public static Column For(IProperty property, StoreObjectIdentifier table, Func<T, object?> readClrValue)
        {
            var mapping = (RelationalTypeMapping)property.GetTypeMapping();
            var name = property.GetColumnName(table) ?? throw new InvalidOperationException($"{property.Name} has no column.");
            var converter = mapping.Converter;
            return new Column(name, mapping, property.IsNullable, converter is null
                ? readClrValue
                : entity => readClrValue(entity) is { } value ? converter.ConvertToProvider(value) : null);
        }
    }
}
