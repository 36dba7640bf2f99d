using System.Management.Automation;
using System.Runtime.CompilerServices;

namespace Seedream.Commands
{
    /// <summary>
    /// The API recommends prompts of at most about 600 English words (API-CONTRACT.md); longer ones are accepted but
    /// their end tends to be ignored. A prompt far past that (over <see cref="WarnAboveWords"/>) gets one warning per
    /// command. Words are runs between white space; each CJK character counts as a word, since those scripts use no spaces.
    /// </summary>
    internal static class PromptLength
    {
        public const int RecommendedWords = 600;
        public const int WarnAboveWords = 800;

        private static readonly ConditionalWeakTable<Cmdlet, object> Warned = new ConditionalWeakTable<Cmdlet, object>();

        public static void WarnOnce(Cmdlet cmdlet, string prompt)
        {
            int words = CountWords(prompt);
            if (words > WarnAboveWords && !Warned.TryGetValue(cmdlet, out _))
            {
                Warned.Add(cmdlet, new object());
                cmdlet.WriteWarning($"The prompt has {words:N0} words, far past the about {RecommendedWords} the API recommends; " +
                                    "the model may ignore its end. It is sent as is: shorten it if the image misses what the prompt asks.");
            }
        }

        public static int CountWords(string text)
        {
            int words = 0;
            bool inWord = false;
            foreach (char c in text)
            {
                if (IsCjk(c))
                {
                    words++;
                    inWord = false;
                }
                else if (char.IsWhiteSpace(c))
                {
                    inWord = false;
                }
                else if (!inWord)
                {
                    words++;
                    inWord = true;
                }
            }

            return words;
        }

        private static bool IsCjk(char c) =>
            (c >= '\u3040' && c <= '\u30FF') || (c >= '\u3400' && c <= '\u4DBF') || (c >= '\u4E00' && c <= '\u9FFF') || (c >= '\uAC00' && c <= '\uD7AF');
    }
}
