# oh-my-zsh plugin for vault: the `vault` function, completion and the prompt segment.
#
#   ln -s /path/to/shell/oh-my-zsh/vault "$ZSH_CUSTOM/plugins/vault"
#   plugins=(... vault)                      # in ~/.zshrc
#
# The program is found through VAULT_BIN, else PATH. The segment goes first in RPROMPT
# unless SHOW_VAULT_PROMPT=false; themes can place ${VAULT_PROMPT_INFO} (no process per
# prompt) or $(vault_prompt_info) themselves and style it with ZSH_THEME_VAULT_* (see
# shell/vault.zsh).

source ${0:A:h:h:h}/vault.zsh

if [[ $SHOW_VAULT_PROMPT != false && $RPROMPT != *'${VAULT_PROMPT_INFO}'* ]]; then
  RPROMPT='${VAULT_PROMPT_INFO}'"$RPROMPT"
fi
