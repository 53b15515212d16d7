package firmware

import "strings"

// LoadInformationTag is the XMLDefault.cnf.xml element that names the load
// for a model: "loadInformation8" for the 7940, "loadInformation7" for the
// 7960 (fact sheet section 1: ADIS, TEO). model may be "7940", "7960G",
// "CP-7960G", "IP Phone 7940"...; other models give "".
func LoadInformationTag(model string) string {
	switch modelNumber(model) {
	case "7940":
		return "loadInformation8"
	case "7960":
		return "loadInformation7"
	}
	return ""
}

// LoadInformationModel is the model attribute that goes with the tag:
// "IP Phone 7940" or "IP Phone 7960"; other models give "".
func LoadInformationModel(model string) string {
	if n := modelNumber(model); n != "" {
		return "IP Phone " + n
	}
	return ""
}

func modelNumber(model string) string {
	m := strings.ToUpper(model)
	for _, n := range [...]string{"7940", "7960"} {
		if strings.Contains(m, n) {
			return n
		}
	}
	return ""
}
