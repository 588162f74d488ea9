using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PartnerAccounts.Infrastructure.Webhooks;

/// <summary>
/// The rows one statement of the webhook worker writes, as one JSON parameter (an array of objects, or of ids), read by the
/// statement with <c>json_each</c> on SQLite and <c>jsonb_to_recordset</c> on PostgreSQL. One parameter instead of one per
/// value: a round writes hundreds of rows, and SQLite finds each named parameter of a statement by a linear search (a
/// statement with n parameters cost n²/2 name comparisons to bind) while EF Core builds a parameter object for each.
/// Values are written as each database stores them: on SQLite ids as upper-case text and times as EF Core's
/// <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c> (UTC), so they compare and sort with the values EF Core writes; on PostgreSQL as
/// ISO 8601 text the recordset's column types parse.
/// </summary>
internal sealed class WorkerRows(bool postgres)
{
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private Utf8JsonWriter? _writer;

    public bool Postgres { get; } = postgres;

    /// <summary>How many rows (or ids) have been written.</summary>
    public int Count { get; private set; }

    /// <summary>Starts the next row; its values follow.</summary>
    public WorkerRows Row()
    {
        var writer = Writer();
        if (Count > 0)
        {
            writer.WriteEndObject();
        }

        writer.WriteStartObject();
        Count++;
        return this;
    }

    /// <summary>Adds one id to an array of ids (no rows).</summary>
    public void Element(Guid id)
    {
        Writer().WriteStringValue(Format(id));
        Count++;
    }

    public WorkerRows Id(string name, Guid? value) => value is { } id ? Text(name, Format(id)) : Null(name);

    public WorkerRows Text(string name, string? value)
    {
        if (value is null)
        {
            return Null(name);
        }

        _writer!.WriteString(name, value);
        return this;
    }

    public WorkerRows Number(string name, int? value)
    {
        if (value is not { } number)
        {
            return Null(name);
        }

        _writer!.WriteNumber(name, number);
        return this;
    }

    public WorkerRows Time(string name, DateTime? value) => value is { } time
        ? Text(name, Postgres
            ? DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture)
            : time.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture))
        : Null(name);

    /// <summary>The JSON text of everything written.</summary>
    public string ToJson()
    {
        var writer = Writer();
        if (writer.CurrentDepth == 2)
        {
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.Dispose(); // flushes
        _writer = null;
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    private WorkerRows Null(string name)
    {
        _writer!.WriteNull(name);
        return this;
    }

    private string Format(Guid id) => Postgres ? id.ToString("D") : id.ToString("D").ToUpperInvariant();

    private Utf8JsonWriter Writer()
    {
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(_buffer);
            _writer.WriteStartArray();
        }

        return _writer;
    }
}
