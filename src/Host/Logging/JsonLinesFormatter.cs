using System.Globalization;
using System.Text;
using System.Text.Json;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Parsing;

namespace ActorNet.Host.Logging;

/// <summary>
/// Writes each Serilog event as one JSON object on one line:
/// <c>{"timestamp","level","event","event_id","template","message","exception"?,"properties":{...}}</c>.
/// <c>event</c>/<c>event_id</c> come from the Microsoft.Extensions.Logging <c>EventId</c> (null when the
/// event has none); <c>properties</c> holds every property, including the node enrichment. Called by the
/// file sink's (single) writer thread; keeps no state, so one instance may serve several sinks.
/// </summary>
public sealed class JsonLinesFormatter : ITextFormatter
{
    private static readonly JsonWriterOptions s_options = new() { Indented = false, SkipValidation = false };

    /// <summary>Formats <paramref name="logEvent"/> as one line of JSON (ending in a newline) to <paramref name="output"/>.</summary>
    public void Format(LogEvent logEvent, TextWriter output)
    {
        using var buffer = new MemoryStream(512);
        using (var json = new Utf8JsonWriter(buffer, s_options))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", logEvent.Timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", logEvent.Level.ToString());
            var (name, id) = EventOf(logEvent);
            if (name is null)
            {
                json.WriteNull("event");
            }
            else
            {
                json.WriteString("event", name);
            }

            if (id is null)
            {
                json.WriteNull("event_id");
            }
            else
            {
                json.WriteNumber("event_id", id.Value);
            }

            json.WriteString("template", logEvent.MessageTemplate.Text);
            json.WriteString("message", Render(logEvent));
            if (logEvent.Exception is not null)
            {
                json.WriteString("exception", logEvent.Exception.ToString());
            }

            json.WriteStartObject("properties");
            foreach (var (key, value) in logEvent.Properties)
            {
                json.WritePropertyName(key);
                WriteValue(json, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        output.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        output.Write('\n');
    }

    /// <summary>Renders the message with string values unquoted (Serilog's default rendering quotes them).</summary>
    internal static string Render(LogEvent logEvent)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is PropertyToken property && logEvent.Properties.TryGetValue(property.PropertyName, out var value))
            {
                if (value is ScalarValue { Value: string s })
                {
                    text.Write(s);
                }
                else
                {
                    value.Render(text, property.Format, CultureInfo.InvariantCulture);
                }
            }
            else
            {
                token.Render(logEvent.Properties, text, CultureInfo.InvariantCulture);
            }
        }

        return text.ToString();
    }

    /// <summary>Extracts the event name and id from the <c>EventId</c> property added by Serilog.Extensions.Logging.</summary>
    internal static (string? Name, int? Id) EventOf(LogEvent logEvent)
    {
        if (!logEvent.Properties.TryGetValue("EventId", out var value))
        {
            return (null, null);
        }

        string? name = null;
        int? id = null;
        if (value is StructureValue structure)
        {
            foreach (var p in structure.Properties)
            {
                if (p.Name == "Name" && p.Value is ScalarValue { Value: string n })
                {
                    name = n;
                }
                else if (p.Name == "Id" && p.Value is ScalarValue { Value: int i })
                {
                    id = i;
                }
            }
        }
        else if (value is ScalarValue { Value: int scalarId })
        {
            id = scalarId;
        }

        return (name, id);
    }

    private static void WriteValue(Utf8JsonWriter json, LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue scalar:
                WriteScalar(json, scalar.Value);
                break;
            case SequenceValue sequence:
                json.WriteStartArray();
                foreach (var element in sequence.Elements)
                {
                    WriteValue(json, element);
                }

                json.WriteEndArray();
                break;
            case StructureValue structure:
                json.WriteStartObject();
                if (structure.TypeTag is not null)
                {
                    json.WriteString("$type", structure.TypeTag);
                }

                foreach (var p in structure.Properties)
                {
                    json.WritePropertyName(p.Name);
                    WriteValue(json, p.Value);
                }

                json.WriteEndObject();
                break;
            case DictionaryValue dictionary:
                json.WriteStartObject();
                foreach (var (k, v) in dictionary.Elements)
                {
                    json.WritePropertyName(Convert.ToString(k.Value, CultureInfo.InvariantCulture) ?? "null");
                    WriteValue(json, v);
                }

                json.WriteEndObject();
                break;
            default:
                json.WriteStringValue(value.ToString());
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case byte or sbyte or short or ushort or int or uint or long:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong ul:
                json.WriteNumberValue(ul);
                break;
            case float f when float.IsFinite(f):
                json.WriteNumberValue(f);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumberValue(d);
                break;
            case decimal m:
                json.WriteNumberValue(m);
                break;
            case DateTimeOffset dto:
                json.WriteStringValue(dto.ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateTime dt:
                json.WriteStringValue(dt.ToString("O", CultureInfo.InvariantCulture));
                break;
            case TimeSpan ts:
                json.WriteStringValue(ts.ToString("c", CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
