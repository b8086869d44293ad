package parser

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/lockstep-iac/lockstep/internal/guard"
)

// toUTF8 accepts UTF-8 (with or without a byte order mark) and UTF-16 with a
// byte order mark, which is what Windows PowerShell's `>` writes.
func toUTF8(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(data[2:], false)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data[2:], true)
	}
	if len(data) > 1 && (data[0] == 0 || data[1] == 0) {
		return nil, errors.New("the file looks like UTF-16 without a byte order mark")
	}
	if !utf8.Valid(data) {
		return nil, invalidUTF8(data)
	}
	return data, nil
}

// invalidUTF8 says where the first byte that is not UTF-8 is, so the user
// can find it; the byte itself is not shown.
func invalidUTF8(data []byte) error {
	off := 0
	for off < len(data) {
		r, n := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		off += n
	}
	line, col := guard.LineColumn(data, int64(off))
	return fmt.Errorf("the file is not valid UTF-8 at byte offset %d (line %d, column %d)", off, line, col)
}

func decodeUTF16(b []byte, bigEndian bool) ([]byte, error) {
	if len(b)%2 != 0 {
		return nil, errors.New("the file has a UTF-16 byte order mark but an odd number of bytes")
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	out := make([]byte, 0, len(u))
	for _, r := range utf16.Decode(u) {
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}
