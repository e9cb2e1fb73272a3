using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgleaFeeds.Model;
using Microsoft.Data.Sqlite;

namespace AgleaFeeds.Storage;

/// <summary>
/// The writes of one transaction, each statement prepared once and bound per row: a poll stores
/// dozens of rows and SQLite has a single writer, so per-row statement preparation is what the
/// writer would otherwise spend its time on. Rows that did not change are not rewritten.
/// </summary>
internal sealed partial class SqliteWriteBatch(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset now) : IDisposable
{
    private readonly long _at = now.ToUnixTimeMilliseconds();

    /// <summary>How many comments this batch sent back to scoring because their words changed.</summary>
    public int Rescored { get; private set; }
    private readonly Dictionary<string, long> _postIds = new(StringComparer.Ordinal);
    private readonly List<SqliteCommand> _commands = [];
    private SqliteCommand? _findPost;
    private SqliteCommand? _insertPost;
    private SqliteCommand? _updatePost;
    private SqliteCommand? _findPostForComment;
    private SqliteCommand? _insertStub;
    private SqliteCommand? _findComment;
    private SqliteCommand? _insertComment;
    private SqliteCommand? _updateComment;
    private SqliteCommand? _refreshPost;
    private SqliteCommand? _linkParent;
    private SqliteCommand? _commentState;
    private SqliteCommand? _insertEvent;
    private SqliteCommand? _saveValidators;
    private SqliteCommand? _saveModeratorFields;

    private SqliteCommand Plain(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private SqliteCommand Command(ref SqliteCommand? command, string sql, params string[] parameters)
    {
        if (command is not null)
        {
            return command;
        }

        command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        command.Prepare();
        _commands.Add(command);
        return command;
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    internal static string ContentHash(params string?[] parts)
    {
        var text = string.Join('\u001f', parts.Select(p => p ?? string.Empty));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    public void Dispose()
    {
        foreach (var command in _commands)
        {
            command.Dispose();
        }
    }
}
