using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace PartnerAccounts.Bench.Seeder;

/// <summary>SQLite: one prepared INSERT per table, executed row by row inside the caller's transaction.</summary>
internal sealed class SqliteBulkWriter(DbContext db, SqliteConnection connection, SqliteTransaction transaction) : IBulkWriter
{
    public Task WriteAsync<T>(IEnumerable<T> rows)
        where T : class
    {
        var map = new TableMap<T>(db);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var parameters = new List<SqliteParameter>();
        foreach (var column in map.Columns)
        {
            var parameter = (SqliteParameter)column.Mapping.CreateParameter(command, $"@p{parameters.Count}", null, column.IsNullable);
            command.Parameters.Add(parameter);
            parameters.Add(parameter);
        }

        command.CommandText = $"INSERT INTO {map.QuotedTable} ({map.QuotedColumns}) VALUES ({string.Join(", ", parameters.Select(p => p.ParameterName))})";
        command.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Count; i++)
            {
                parameters[i].Value = map.Columns[i].Read(row) ?? DBNull.Value;
            }

            command.ExecuteNonQuery();
        }

        return Task.CompletedTask;
    }
}
