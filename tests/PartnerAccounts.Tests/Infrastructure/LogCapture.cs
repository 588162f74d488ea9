using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace PartnerAccounts.Tests.Infrastructure;

/// <summary>
/// A logger provider that keeps every line a host writes, at every level: the category, the formatted message, every
/// structured value, the exception (with its inner exceptions and data) and the values of every enclosing scope.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLog> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string text => text,
        IEnumerable<KeyValuePair<string, object?>> pairs => string.Join(", ", pairs.Select(p => p.Key + "=" + Describe(p.Value))),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Describe)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static void AppendException(StringBuilder text, Exception exception)
    {
        text.Append('\n').Append(exception);
        foreach (DictionaryEntry entry in exception.Data)
        {
            text.Append("\n data ").Append(Describe(entry.Key)).Append('=').Append(Describe(entry.Value));
        }
    }

    private sealed class CapturingLogger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    text.Append("\n value ").Append(key).Append('=').Append(Describe(value));
                }
            }

            if (exception is not null)
            {
                AppendException(text, exception);
            }

            owner._scopes.ForEachScope((scope, builder) => builder.Append("\n scope ").Append(Describe(scope)), text);
            owner._lines.Enqueue(new CapturedLog(logLevel, category, eventId, text.ToString()));
        }
    }
}

public sealed record CapturedLog(LogLevel Level, string Category, EventId EventId, string Text)
{
    public override string ToString() => $"{Level} {Category}[{EventId.Id}]: {Text}";
}
